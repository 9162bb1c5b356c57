"""Module and Parameter: registration, iteration order, modes, devices, state dicts, repr."""

import copy
from collections import OrderedDict

import numpy as np
import pytest

import minml
from minml import nn
from minml.testing import assert_close, torch_or_skip


class Block(nn.Module):
    def __init__(self, random_state=0):
        super().__init__()
        self.fc = nn.Linear(3, 4, random_state=random_state)
        self.scale = nn.Parameter(np.ones(4, dtype=np.float32))
        self.register_buffer("steps", minml.zeros(1))
        self.act = nn.Tanh()

    def forward(self, x):
        return self.act(self.fc(x)) * self.scale


class Net(nn.Module):
    def __init__(self, random_state=0):
        super().__init__()
        self.first = Block(random_state)
        self.second = Block(random_state + 1)
        self.head = nn.Linear(4, 2, random_state=random_state + 2)

    def forward(self, x):
        return self.head(self.second.act(self.first(x)))


# PyTorch's order: each module's own tensors, then its children's (depth first)
NET_PARAMETERS = [
    "first.scale", "first.fc.weight", "first.fc.bias",
    "second.scale", "second.fc.weight", "second.fc.bias",
    "head.weight", "head.bias",
]
NET_STATE = [
    "first.scale", "first.steps", "first.fc.weight", "first.fc.bias",
    "second.scale", "second.steps", "second.fc.weight", "second.fc.bias",
    "head.weight", "head.bias",
]


def test_parameter_is_a_leaf_that_requires_grad(device):
    source = minml.tensor([1.0, 2.0], device=device)
    param = nn.Parameter(source)
    assert isinstance(param, minml.Tensor) and param.requires_grad and param.is_leaf
    assert param.device == source.device and param.dtype == np.float32
    assert repr(param).startswith("Parameter containing:\ntensor([1., 2.]")
    assert not nn.Parameter(np.zeros(2), requires_grad=False).requires_grad


def test_registration_order_and_dotted_names(device):
    net = Net().to(device)
    assert [name for name, _ in net.named_parameters()] == NET_PARAMETERS
    assert [name for name, _ in net.named_buffers()] == ["first.steps", "second.steps"]
    assert list(net.state_dict()) == NET_STATE
    assert [name for name, _ in net.named_children()] == ["first", "second", "head"]
    assert [name for name, _ in net.named_modules()] == [
        "", "first", "first.fc", "first.act", "second", "second.fc", "second.act", "head",
    ]
    assert list(net.parameters(recurse=False)) == []
    assert [p.shape for p in net.head.parameters()] == [(2, 4), (2,)]


def test_shared_modules_and_parameters_are_listed_once(device):
    shared = nn.Linear(2, 2, device=device)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(net.parameters())) == 2
    assert len(list(net.modules())) == 3
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # PyTorch's rule too


def test_assigning_before_init_is_explained():
    class Forgetful(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Forgetful()


def test_reassignment_keeps_the_slot_and_type_rules(device):
    layer = nn.Linear(2, 3, device=device)
    layer.weight = nn.Parameter(np.zeros((3, 2)), device=device)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    layer.bias = None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert "bias" not in layer.state_dict()
    with pytest.raises(TypeError, match="parameter 'weight'"):
        layer.weight = minml.zeros(3, 2)
    layer.weight = nn.Parameter(np.ones((3, 2)), device=device)  # a Parameter is still accepted
    del layer.weight
    assert list(layer.parameters()) == []
    with pytest.raises(AttributeError, match="no attribute 'weight'"):
        layer.weight  # noqa: B018


def test_buffers_accept_tensors_and_non_persistent_ones_are_not_saved(device):
    module = nn.Module()
    module.register_buffer("mean", minml.zeros(3, device=device))
    module.register_buffer("cache", minml.ones(2, device=device), persistent=False)
    module.mean = minml.ones(3, device=device)
    assert_close(module.mean, np.ones(3))
    assert list(module.state_dict()) == ["mean"]
    assert [name for name, _ in module.named_buffers()] == ["mean", "cache"]
    with pytest.raises(TypeError, match="buffer 'mean'"):
        module.mean = np.zeros(3)
    with pytest.raises(KeyError, match="without '.'"):
        module.register_buffer("a.b", minml.zeros(1))


def test_train_and_eval_reach_every_submodule(device):
    net = Net().to(device)
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.first.train()
    assert net.first.fc.training and not net.training and not net.second.training


def test_to_moves_in_place_and_keeps_parameter_identity(device):
    net = Net()
    params, buffers = list(net.parameters()), list(net.buffers())
    net(minml.ones(1, 3)).sum().backward()
    expected = {name: value.numpy() for name, value in net.state_dict().items()}
    assert net.to(device) is net
    assert all(a is b for a, b in zip(params, net.parameters()))
    assert all(a is b for a, b in zip(buffers, net.buffers()))
    for tensor in (*net.parameters(), *net.buffers()):
        assert tensor.device == minml.device(device)
    grads = [p.grad for p in net.parameters() if p.grad is not None]  # net.second.fc is unused in forward
    assert len(grads) == 5 and all(minml.backend.device_of(g) == minml.device(device) for g in grads)
    for name, value in net.state_dict().items():
        assert_close(value, expected[name], what=name)
    out = net(minml.ones(1, 3, device=device))  # forward works on the new device
    assert out.device == minml.device(device)
    net.to("cpu")
    assert all(p.device == minml.device("cpu") for p in net.parameters())


def test_to_dtype_casts_floating_tensors_only(device):
    module = nn.Linear(2, 2, device=device)
    module.register_buffer("count", minml.tensor(np.array(3), device=device))
    module.double()
    assert module.weight.dtype == np.float64 and module.bias.dtype == np.float64
    assert module.count.dtype == np.int64
    assert module.float().weight.dtype == np.float32


def test_zero_grad_and_requires_grad(device):
    layer = nn.Linear(3, 2, device=device)
    layer(minml.ones(4, 3, device=device)).sum().backward()
    assert all(p.grad is not None for p in layer.parameters())
    layer.zero_grad(set_to_none=False)
    assert all(minml.backend.to_scalar(abs(p.grad).sum()) == 0 for p in layer.parameters())
    layer.zero_grad()
    assert all(p.grad is None for p in layer.parameters())
    layer.requires_grad_(False)
    assert not any(p.requires_grad for p in layer.parameters())


def test_state_dict_round_trip(device):
    source, target = Net(random_state=0).to(device), Net(random_state=10).to(device)
    x = minml.randn(5, 3, random_state=1, device=device)
    assert not np.allclose(source(x).numpy(), target(x).numpy())
    weight = target.head.weight
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.head.weight is weight  # copied into the existing tensor
    assert_close(target(x), source(x))
    host = {name: value.numpy() for name, value in source.state_dict().items()}  # plain host arrays load too
    Net(random_state=3).to(device).load_state_dict(host)


def test_state_dict_is_detached_and_shares_memory(device):
    layer = nn.Linear(2, 2, device=device)
    state = layer.state_dict()
    assert not state["weight"].requires_grad
    with minml.no_grad():
        layer.weight[0, 0] = 5.0
    assert float(state["weight"][0, 0]) == 5.0


def test_load_state_dict_names_missing_keys():
    state = Net().state_dict()
    del state["second.fc.bias"]
    with pytest.raises(RuntimeError, match=r'Error\(s\) in loading state_dict for Net:\n\tMissing key\(s\) in state_dict: "second.fc.bias"'):  # noqa: E501
        Net().load_state_dict(state)
    assert Net().load_state_dict(state, strict=False).missing_keys == ["second.fc.bias"]


def test_load_state_dict_names_unexpected_keys():
    state = Net().state_dict()
    state["head.extra"] = minml.zeros(1)
    with pytest.raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "head.extra"'):
        Net().load_state_dict(state)
    assert Net().load_state_dict(state, strict=False).unexpected_keys == ["head.extra"]


def test_load_state_dict_names_mis_shaped_keys_even_when_not_strict():
    state = Net().state_dict()
    state["head.weight"] = minml.zeros(3, 4)
    message = (
        r"size mismatch for head.weight: copying a value of shape \(3, 4\) from the state dict, "
        r"but the shape in the current model is \(2, 4\)"
    )
    with pytest.raises(RuntimeError, match=message):
        Net().load_state_dict(state)
    with pytest.raises(RuntimeError, match=message):
        Net().load_state_dict(state, strict=False)


def test_load_state_dict_rejects_non_numeric_values():
    state = Net().state_dict()
    state["head.bias"] = "oops"
    with pytest.raises(TypeError, match="'head.bias'"):
        Net().load_state_dict(state)


def test_failed_load_changes_nothing(device):
    net = Net().to(device)
    before = net.head.bias.numpy()
    state = Net(random_state=5).state_dict()
    state["first.fc.weight"] = minml.zeros(1)
    with pytest.raises(RuntimeError):
        net.load_state_dict(state)
    assert_close(net.head.bias, before)


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        nn.Module()(1)


def test_apply_visits_children_first():
    net = Net()
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "Tanh", "Block", "Linear", "Tanh", "Block", "Linear", "Net"]


def test_repr_matches_pytorch():
    torch = torch_or_skip()

    def build(lib):
        return lib.Sequential(
            lib.Linear(4, 8),
            lib.ReLU(),
            lib.Sequential(lib.Linear(8, 8, bias=False), lib.LeakyReLU(), lib.GELU(), lib.Softmax(dim=-1)),
            lib.Flatten(),
            lib.Tanh(),
        )

    assert repr(build(nn)) == repr(build(torch.nn))


def test_repr_of_a_custom_module():
    assert repr(Block()) == (
        "Block(\n  (fc): Linear(in_features=3, out_features=4, bias=True)\n  (act): Tanh()\n)"
    )


def test_sequential_indexing_and_names(device):
    first, second = nn.Linear(2, 3, device=device), nn.ReLU()
    model = nn.Sequential(OrderedDict([("hidden", first), ("act", second)]))
    assert model.hidden is first and model[0] is first and model[-1] is second and len(model) == 2
    assert list(model.state_dict()) == ["hidden.weight", "hidden.bias"]
    assert list(model[1:]._modules) == ["act"]
    with pytest.raises(IndexError, match="out of range"):
        model[2]
    x = minml.randn(4, 2, random_state=0, device=device)
    assert_close(model(x), first(x).relu())


def test_module_list_registers_its_modules(device):
    layers = nn.ModuleList([nn.Linear(2, 2, device=device) for _ in range(2)])
    layers.append(nn.Linear(2, 1, device=device))
    assert len(layers) == 3 and [p.shape for p in layers[-1].parameters()] == [(1, 2), (1,)]
    replacement = nn.Linear(2, 2, device=device)
    layers[0] = replacement
    assert layers[0] is replacement and list(layers._modules) == ["0", "1", "2"]
    assert list(layers[1:]._modules) == ["0", "1"]
    assert len(list(layers.parameters())) == 6
    with pytest.raises(TypeError, match="holds Modules"):
        layers[0] = "not a module"


def test_module_dict_is_a_dict_of_registered_modules(device):
    encoder, act = nn.Linear(3, 2, device=device), nn.ReLU()
    heads = nn.ModuleDict({"encoder": encoder, "act": act})
    heads["decoder"] = nn.Linear(2, 3, device=device)
    assert heads["encoder"] is encoder and heads.encoder is encoder and len(heads) == 3
    assert list(heads) == list(heads.keys()) == ["encoder", "act", "decoder"]  # insertion order
    assert [m for _, m in heads.items()] == list(heads.values()) and list(heads.values())[:2] == [encoder, act]
    assert "act" in heads and "head" not in heads
    assert list(heads.state_dict()) == ["encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"]
    assert len(list(heads.parameters())) == 4
    replacement = nn.Tanh()
    heads["act"] = replacement  # replacing keeps the key's place
    assert list(heads) == ["encoder", "act", "decoder"] and heads["act"] is replacement
    del heads["act"]
    assert list(heads) == ["encoder", "decoder"] and "act" not in heads
    heads.update([("extra", nn.Linear(3, 1, device=device))])  # pairs ...
    heads.update(nn.ModuleDict({"encoder": replacement}))  # ... or a mapping, another ModuleDict too
    assert list(heads) == ["encoder", "decoder", "extra"] and heads["encoder"] is replacement
    assert list(nn.ModuleDict(OrderedDict([("b", act), ("a", encoder)]))) == ["b", "a"]  # not sorted


def test_module_dict_moves_trains_and_prints_like_torchs(device):
    torch = torch_or_skip()

    def build(lib):
        heads = lib.ModuleDict({"classify": lib.Linear(4, 3), "act": lib.ReLU()})
        heads.update({"regress": lib.Sequential(lib.Linear(4, 8), lib.Tanh())})
        return heads

    ours, theirs = build(nn), build(torch.nn)
    assert repr(ours) == repr(theirs) and repr(nn.ModuleDict()) == repr(torch.nn.ModuleDict())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.to(device).eval()
    assert all(p.device == minml.device(device) for p in ours.parameters())
    assert not any(m.training for m in ours.modules())


def test_module_dict_refuses_what_a_dict_of_modules_cannot_hold():
    heads = nn.ModuleDict({"a": nn.ReLU()})
    with pytest.raises(KeyError, match=r"ModuleDict has no module 'b'; its keys are \['a'\]"):
        heads["b"]
    with pytest.raises(KeyError, match="has no module 'b'"):
        del heads["b"]
    with pytest.raises(TypeError, match="ModuleDict holds Modules; got str for key 'b'"):
        heads["b"] = "not a module"
    with pytest.raises(KeyError, match="without '.'"):
        heads["a.b"] = nn.ReLU()
    with pytest.raises(KeyError, match="'training' would hide the attribute of that name"):
        heads["training"] = nn.ReLU()
    with pytest.raises(KeyError, match="'keys' would hide"):
        nn.ModuleDict({"keys": nn.ReLU()})
    assert heads.training is True and list(heads) == ["a"]


def test_deepcopy_gives_an_independent_model(device):
    net = Net().to(device)
    clone = copy.deepcopy(net)
    assert isinstance(clone.head.weight, nn.Parameter) and clone.head.weight is not net.head.weight
    with minml.no_grad():
        clone.head.weight[...] = 0.0
    assert minml.backend.to_scalar(abs(net.head.weight.data).sum()) > 0
    assert list(clone.state_dict()) == NET_STATE
