"""minml.save / minml.load: exact round trips, atomic replacement, and files that must never run code."""

import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

import minml
import minml.optim
from minml import backend
from minml.nn import Module, Parameter
from minml.serialization import FORMAT_VERSION, FileFormatError, load, save
from minml.testing import to_host, torch_or_skip

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8, np.bool_, np.complex64]


def assert_same(loaded, original, device):
    """Equal structure, container types, keys (with their types), scalars, and tensors of equal dtype and values."""
    if isinstance(original, (minml.Tensor, np.ndarray)):
        assert isinstance(loaded, minml.Tensor) and loaded.device == device
        expected = to_host(original)
        assert loaded.dtype == expected.dtype and loaded.shape == expected.shape
        np.testing.assert_array_equal(to_host(loaded), expected)
    elif isinstance(original, dict):
        assert type(loaded) is dict and list(loaded) == list(original)
        assert [type(key) for key in loaded] == [type(key) for key in original]
        for key in original:
            assert_same(loaded[key], original[key], device)
    elif isinstance(original, (list, tuple)):
        assert type(loaded) is type(original) and len(loaded) == len(original)
        for item, expected in zip(loaded, original):
            assert_same(item, expected, device)
    elif isinstance(original, float) and np.isnan(original):
        assert np.isnan(loaded)
    else:
        assert type(loaded) is type(original) and loaded == original


def _nested(device):
    rng = np.random.default_rng(0)
    return {
        "weights": {
            f"layer{i}.{dtype.__name__}": minml.tensor(rng.normal(size=(2, 3)).astype(dtype), device=device)
            for i, dtype in enumerate(DTYPES)
        },
        "scalar": minml.tensor(np.float64(2.5), device=device),
        "empty": minml.zeros(0, 4, device=device),
        "host": np.arange(6, dtype=np.int16).reshape(2, 3),
        "list": [1, 2.5, True, None, "text", float("nan"), float("-inf"), 10**30],
        "tuple": (0.9, 0.999),
        3: {"int keys": "stay ints"},
        None: [[], {}, ()],
    }


def test_nested_structures_round_trip_exactly(tmp_path, device):
    obj = _nested(device)
    save(obj, tmp_path / "model.npz")
    assert_same(load(tmp_path / "model.npz"), obj, "cpu")
    assert_same(load(str(tmp_path / "model.npz"), map_location=device), obj, device)


def test_optimizer_state_dicts_round_trip(tmp_path, device):
    state = {
        "state": {0: {"step": 3, "exp_avg": minml.ones(4, device=device)}, 1: {"step": 3, "exp_avg": minml.zeros(2)}},
        "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "weight_decay": 0.0, "amsgrad": False, "params": [0, 1]}],
    }
    save(state, tmp_path / "optim.npz")
    assert_same(load(tmp_path / "optim.npz", map_location=device), state, device)


def test_numpy_scalars_are_saved_as_python_numbers(tmp_path, device):
    save({"step": np.int64(7), "flag": np.bool_(True), "lr": np.float32(0.5)}, tmp_path / "f.npz")
    assert_same(load(tmp_path / "f.npz", map_location=device), {"step": 7, "flag": True, "lr": 0.5}, device)


class Tiny(Module):
    def __init__(self, device):
        super().__init__()
        self.weight = Parameter(minml.randn(3, 2, random_state=0, device=device))
        self.register_buffer("running_mean", minml.zeros(2, dtype=np.float64, device=device))


def test_a_module_is_saved_as_its_state_dict_and_loads_into_another(tmp_path, device):
    model = Tiny(device)
    model.running_mean[:] = 5.0
    save(model, tmp_path / "model.npz")
    state = load(tmp_path / "model.npz", map_location=device)
    assert list(state) == ["weight", "running_mean"] and state["running_mean"].dtype == np.float64
    fresh = Tiny(device)
    with minml.no_grad():
        fresh.weight[:] = 0.0
    fresh.load_state_dict(state)
    for name, tensor in model.state_dict().items():
        np.testing.assert_array_equal(to_host(fresh.state_dict()[name]), to_host(tensor))


def test_a_checkpoint_resumes_training_exactly(tmp_path, device):
    """Model + Adam state saved mid-training, loaded into fresh objects: the next step is identical."""
    X = minml.randn(16, 4, random_state=1, device=device)

    def make():
        model = minml.nn.Sequential(minml.nn.Linear(4, 8, random_state=0, device=device), minml.nn.Linear(8, 1))
        model.to(device)
        return model, minml.optim.Adam(model.parameters(), lr=0.1)

    def step(model, optimizer):
        optimizer.zero_grad()
        (model(X) ** 2).mean().backward()
        optimizer.step()

    model, optimizer = make()
    for _ in range(3):
        step(model, optimizer)
    save({"model": model, "optimizer": optimizer, "epoch": 3}, tmp_path / "checkpoint.npz")
    checkpoint = load(tmp_path / "checkpoint.npz", map_location=device)
    resumed, resumed_optimizer = make()
    resumed.load_state_dict(checkpoint["model"])
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    step(model, optimizer)
    step(resumed, resumed_optimizer)
    assert checkpoint["epoch"] == 3
    for (name, ours), theirs in zip(model.state_dict().items(), resumed.state_dict().values(), strict=True):
        np.testing.assert_array_equal(to_host(theirs), to_host(ours), err_msg=name)


def test_the_file_is_an_npz_with_one_json_member(tmp_path, device):
    save({"w": minml.ones(2, 2, device=device), "lr": 0.1}, tmp_path / "m.npz")
    with zipfile.ZipFile(tmp_path / "m.npz") as archive:
        assert sorted(archive.namelist()) == ["array_0.npy", "minml.json"]
        header = json.loads(archive.read("minml.json"))
    assert header["format"] == "minml" and header["version"] == FORMAT_VERSION
    with np.load(tmp_path / "m.npz", allow_pickle=False) as arrays:
        np.testing.assert_array_equal(arrays["array_0"], np.ones((2, 2), np.float32))


def test_saving_replaces_the_previous_file(tmp_path, device):
    path = tmp_path / "m.npz"
    save({"v": minml.zeros(3, device=device)}, path)
    save({"v": minml.ones(3, device=device)}, path)
    assert load(path)["v"].tolist() == [1.0, 1.0, 1.0]
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


@pytest.mark.parametrize("interruption", [OSError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_save_leaves_the_previous_file_intact(tmp_path, device, monkeypatch, interruption):
    path = tmp_path / "m.npz"
    previous = {"v": minml.tensor([1.0, 2.0], device=device), "epoch": 1}
    save(previous, path)
    before = path.read_bytes()
    write_array = np.lib.format.write_array
    calls = []

    def write_then_fail(file, array, **kwargs):
        calls.append(array.shape)
        if len(calls) == 2:  # the first array is written; the second fails halfway through
            file.write(b"\x93NUMPY half an array")
            raise interruption
        write_array(file, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(type(interruption)):
        save({"v": minml.zeros(1000, device=device), "w": minml.zeros(1000, device=device), "epoch": 2}, path)
    assert len(calls) == 2
    assert path.read_bytes() == before
    assert_same(load(path), previous, "cpu")
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left behind


@pytest.mark.parametrize(
    "obj, message",
    [
        ({"fn": lambda x: x}, r"obj\['fn'\], an object of type function"),
        ({"layers": [1, object()]}, r"obj\['layers'\]\[1\], an object of type object"),
        ({(1, 2): 3}, "a key of type tuple"),
        ({"names": np.array(["a", object()], dtype=object)}, "array of dtype object: it saves arrays of numbers"),
        ({"names": np.array(["a", "b"])}, "array of dtype <U1"),
    ],
)
def test_unsavable_objects_are_refused_before_the_file_is_touched(tmp_path, device, obj, message):
    path = tmp_path / "m.npz"
    save({"w": minml.ones(1, device=device)}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match=message):
        save(obj, path)
    assert path.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


# --------------------------------------------------------------------------- files that are not (whole) minml files


@pytest.fixture
def saved(tmp_path, device) -> Path:
    path = tmp_path / "m.npz"
    save({"w": minml.tensor(np.arange(64.0), device=device), "config": {"depth": 3}}, path)
    return path


@pytest.mark.parametrize("keep", [4, 30, 0.5, -1])
def test_a_truncated_file_gives_a_clear_error(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    with pytest.raises(FileFormatError, match="is truncated or corrupted"):
        load(saved)


def test_a_flipped_byte_in_an_array_is_detected(saved):
    data = bytearray(saved.read_bytes())
    data[data.index(b"\x00\x00\x00\x00\x00\x00\xf0\x3f")] ^= 0xFF  # inside the stored float 1.0
    saved.write_bytes(bytes(data))
    with pytest.raises(FileFormatError, match="truncated or corrupted .*CRC"):
        load(saved)


@pytest.mark.parametrize("json_text", [b"{not json", b'{"format": "minml", "version": 1}', b"[1, 2]"])
def test_a_damaged_structure_member_gives_a_clear_error(tmp_path, device, json_text):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("minml.json", json_text)
    with pytest.raises(FileFormatError, match="truncated or corrupted"):
        load(path, map_location=device)


def test_a_file_from_a_newer_minml_asks_for_an_upgrade(tmp_path, device):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("minml.json", json.dumps({"format": "minml", "version": FORMAT_VERSION + 1, "object": 1}))
    with pytest.raises(FileFormatError, match="format version 2.*newer minml"):
        load(path, map_location=device)


class Payload:
    """Unpickling this creates ``marker``: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def test_a_pickle_is_refused_without_running_it(tmp_path, device):
    marker, path = tmp_path / "code-ran", tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"weights": Payload(marker)}))
    with pytest.raises(FileFormatError, match="looks like a pickle.*never unpickles"):
        load(path, map_location=device)
    assert not marker.exists()


def test_a_pickled_array_inside_a_minml_looking_file_is_refused_without_running_it(tmp_path, device):
    marker, path = tmp_path / "code-ran", tmp_path / "m.npz"
    structure = {"format": "minml", "version": 1, "object": {"type": "tensor", "array": "array_0"}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("minml.json", json.dumps(structure))
        with archive.open("array_0.npy", "w") as member:
            np.lib.format.write_array(member, np.array([Payload(marker)], dtype=object), allow_pickle=True)
    with pytest.raises(FileFormatError, match="truncated or corrupted.*allow_pickle=False"):
        load(path, map_location=device)
    assert not marker.exists()


def test_a_torch_file_is_refused_without_running_it(tmp_path, device):
    torch = torch_or_skip()
    marker, path = tmp_path / "code-ran", tmp_path / "model.pt"
    torch.save({"weights": torch.zeros(2), "hook": Payload(marker)}, path)
    with pytest.raises(FileFormatError, match="zip archive but not a minml model file.*no minml.json"):
        load(path, map_location=device)
    assert not marker.exists()


@pytest.mark.parametrize(
    "name, write, message",
    [
        ("a.npz", lambda path: np.savez(path, a=np.zeros(2)), "zip archive but not a minml model file.*members: a"),
        ("a.npy", lambda path: np.save(path, np.zeros(2)), "a single NumPy .npy array"),
        ("a.npz", lambda path: path.write_bytes(b""), "it is empty"),
        ("a.txt", lambda path: path.write_text("weights = [1, 2]"), "does not start like a zip archive"),
    ],
)
def test_foreign_files_say_what_they_are(tmp_path, device, name, write, message):
    write(tmp_path / name)
    with pytest.raises(FileFormatError, match=message):
        load(tmp_path / name, map_location=device)


def test_a_missing_file_is_a_file_not_found_error(tmp_path, device):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.npz", map_location=device)


def test_map_location_accepts_a_device_object(saved, device):
    loaded = load(saved, map_location=backend.device(device))
    assert loaded["w"].device == device and loaded["config"] == {"depth": 3}
