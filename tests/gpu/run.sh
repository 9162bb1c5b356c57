#!/usr/bin/env bash
# The device check: run on a machine with an NVIDIA GPU, CuPy, PyTorch, pytest and hypothesis,
# from a checkout, without installing anything (the project is imported through PYTHONPATH):
#
#     bash tests/gpu/run.sh            # full log also in $OUT/gpu-report.txt when $OUT is set
#
# 1. what the machine has (minml info, nvidia-smi);
# 2. the engine suite's gpu-marked tests: every device-parametrised test with device=cuda;
# 3. a short timing: bench/autograd.py on cuda, and its large chain on cpu against cuda;
# 4. a short training run (tests/gpu/training.py): a digits MLP trained on cpu and on cuda, both must
#    reach 95 % held-out accuracy, within noise of each other; their epoch time ratio is reported;
# 5. a one-screen summary ending in "GPU CHECK: PASS" or "GPU CHECK: FAIL (...)".
# The timing and training run even when tests fail; the exit status is non-zero when tests or the
# training failed or no GPU was found.
# Budget: about 5 minutes (pytest is stopped after PYTEST_LIMIT seconds so the timing still runs).
set -u
cd "$(dirname "$0")/../.." || exit 2

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export HYPOTHESIS_PROFILE=ci                              # derandomised, 25 examples, no deadline
export HYPOTHESIS_STORAGE_DIRECTORY="${TMPDIR:-/tmp}/minml-hypothesis-$$"  # the checkout may be read-only
PYTEST_LIMIT="${PYTEST_LIMIT:-200}"
WORK="$(mktemp -d)"

section() { printf '\n===== %s\n' "$1"; }

check() {
    section "machine"
    python -c "import minml.cli; minml.cli.main(['info'])" || python - <<'EOF'
import importlib, platform
print("minml info unavailable; versions:")
print("Python", platform.python_version())
for name in ("minml", "numpy", "cupy", "torch", "pytest", "hypothesis"):
    try:
        print(name, importlib.import_module(name).__version__)
    except Exception as error:
        print(name, f"unavailable ({type(error).__name__}: {error})")
EOF
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/GPU: /'
    python -c "from minml import backend; ok, why = backend.cuda_status(); print('cuda:', why); raise SystemExit(0 if ok else 1)"
    echo $? >"$WORK/cuda_rc"

    # The classical estimators' folders first: they are newer to real CuPy than the engine's, so a
    # run stopped at the limit has still tried them. pytest-xdist, where installed, spreads the tests
    # over 8 processes (each holds its own CUDA context on the one GPU).
    local classical="contract linear tree ensemble svm preprocessing metrics model_selection stats datasets plot"
    local order="" path parallel=""
    for path in $classical; do order="$order tests/$path"; done
    for path in tests/*/ tests/test_*.py; do
        case " $classical " in *" $(basename "$path") "*) ;; *) order="$order $path" ;; esac
    done
    python -c "import xdist" 2>/dev/null && parallel="-n 8"
    section "gpu tests: pytest -m gpu ${parallel} (limit ${PYTEST_LIMIT}s)"
    # shellcheck disable=SC2086  # $order and $parallel are word lists
    timeout -s INT -k 15 "$PYTEST_LIMIT" python -m pytest -m gpu -q -rf -p no:cacheprovider $parallel $order 2>&1 | tee "$WORK/pytest.txt"
    echo "${PIPESTATUS[0]}" >"$WORK/pytest_rc"

    section "timing: minml on cuda (bench/autograd.py), and cpu against cuda"
    timeout -k 15 120 python tests/gpu/timing.py 2>&1 | tee "$WORK/timing.txt"
    echo "${PIPESTATUS[0]}" >"$WORK/timing_rc"

    section "training: a digits MLP on cpu and on cuda (tests/gpu/training.py)"
    timeout -k 15 120 python tests/gpu/training.py 2>&1 | tee "$WORK/training.txt"
    echo "${PIPESTATUS[0]}" >"$WORK/training_rc"
}

summary() {
    local cuda_rc pytest_rc timing_rc training_rc counts timing training gpu verdict status=0
    cuda_rc=$(cat "$WORK/cuda_rc")
    pytest_rc=$(cat "$WORK/pytest_rc")
    timing_rc=$(cat "$WORK/timing_rc")
    training_rc=$(cat "$WORK/training_rc")
    counts=$(grep -E '[0-9]+ (passed|failed|error|skipped|deselected)' "$WORK/pytest.txt" | tail -n 1)
    timing=$(grep '^TIMING:' "$WORK/timing.txt" | tail -n 1)
    training=$(grep '^TRAINING:' "$WORK/training.txt" | tail -n 1)

    section "summary"
    gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
    echo "GPU:     ${gpu:-none found by nvidia-smi}"
    echo "tests:   ${counts:-no pytest summary line} (pytest exit ${pytest_rc})"
    grep -E '^(FAILED|ERROR) ' "$WORK/pytest.txt" | head -n 15 | sed 's/^/         /'
    echo "timing:  ${timing:-no timing (exit ${timing_rc}); see above}"
    grep -E 'FAIL: above target' "$WORK/timing.txt" | sed 's/^/         missed target: /'
    echo "training: ${training:-no training line (exit ${training_rc}); see above}"

    verdict="PASS"
    if [ "$cuda_rc" != 0 ]; then
        verdict="FAIL (CUDA unavailable: the gpu tests were skipped)"; status=1
    elif [ "$pytest_rc" = 124 ] || [ "$pytest_rc" = 137 ]; then
        verdict="FAIL (pytest stopped after ${PYTEST_LIMIT}s)"; status=1
    elif [ "$pytest_rc" = 5 ]; then
        verdict="FAIL (no gpu tests collected)"; status=1
    elif [ "$pytest_rc" != 0 ]; then
        verdict="FAIL (gpu tests failed: pytest exit ${pytest_rc})"; status=1
    elif [ "$training_rc" != 0 ]; then
        verdict="FAIL (training: exit ${training_rc}; see the training line)"; status=1
    elif [ "$timing_rc" != 0 ]; then
        verdict="PASS with a broken timing (exit ${timing_rc})"
    fi
    echo "GPU CHECK: $verdict"
    return $status
}

main() {
    check
    summary
}

if [ -n "${OUT:-}" ]; then
    mkdir -p "$OUT"
    main 2>&1 | tee "$OUT/gpu-report.txt"
    status=${PIPESTATUS[0]}
else
    main
    status=$?
fi
rm -rf "$WORK" "$HYPOTHESIS_STORAGE_DIRECTORY"
exit "$status"
