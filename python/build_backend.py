"""The PEP 517 build backend behind `pip install .`: CMake builds the numen_python target (the core and its
pybind11 module, from Debian's packages) and the wheel is packed from the folder it assembles, build/python/numen.

It needs nothing from a package index, so `pip install .` works without network, with or without build isolation
(`--no-build-isolation` is what Debian's pip wants for local trees). It builds in build/native, the tree
`scripts/build.sh native` and `npm test` use, so after them an install takes seconds; NUMEN_BUILD_DIR chooses
another tree (configured on first use).
"""

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "numen"
SUMMARY = "Simulate and characterize engineering dynamics: the Numen core (model compiler, ODE/DAE solvers, test plans)"
REQUIRES = ["numpy"]
EXTRAS = {"dask": ["distributed"]}


def _version():
    with open(os.path.join(ROOT, "core", "include", "numen", "version.h"), encoding="utf-8") as f:
        return re.search(r'#define NUMEN_VERSION "([^"]+)"', f.read()).group(1)


def _metadata():
    lines = ["Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {_version()}", f"Summary: {SUMMARY}",
             "Requires-Python: >=3.8"]
    lines += [f"Requires-Dist: {r}" for r in REQUIRES]
    for extra, reqs in EXTRAS.items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in reqs]
    return "\n".join(lines) + "\n"


def _tag():
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())
    return f"{py}-{py}-{platform}"


def _cache_value(build_dir, key):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except FileNotFoundError:
        return None
    return None


def _log(message):
    print(f"numen build: {message}", file=sys.stderr, flush=True)


def _build():
    """Builds the module; returns the folder holding the package (…/numen)."""
    build_dir = os.environ.get("NUMEN_BUILD_DIR") or os.path.join(ROOT, "build", "native")
    if _cache_value(build_dir, "CMAKE_HOME_DIRECTORY") is None:
        _log(f"configuring {build_dir} (the first build compiles the whole core: minutes)")
        subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        f"-DNUMEN_PYTHON_EXECUTABLE={sys.executable}"], check=True, stdout=sys.stderr)
    if _cache_value(build_dir, "NUMEN_PYTHON_DIR") is None:
        raise RuntimeError(f"{build_dir} was configured without the Python module; see the CMake output for why "
                           "(apt-get install python3-dev pybind11-dev)")
    _log(f"building the numen_python target in {build_dir}")
    subprocess.run(["cmake", "--build", build_dir, "--target", "numen_python"], check=True, stdout=sys.stderr)
    package = os.path.join(_cache_value(build_dir, "NUMEN_PYTHON_DIR"), NAME)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    if not os.path.exists(os.path.join(package, "_core" + suffix)):
        built = [f for f in os.listdir(package) if f.startswith("_core")]
        raise RuntimeError(f"{build_dir} builds the module for another Python ({', '.join(built)}); this pip runs "
                           f"{sys.executable} (needs _core{suffix}): set NUMEN_BUILD_DIR to a new folder")
    return package


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = f"{NAME}-{_version()}.dist-info"
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    with open(os.path.join(metadata_directory, info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    package = _build()
    version = _version()
    info = f"{NAME}-{version}.dist-info"
    files = []
    for name in sorted(os.listdir(package)):
        if name.endswith(".py") or (name.startswith("_core") and name.endswith(".so")):
            with open(os.path.join(package, name), "rb") as f:
                files.append((f"{NAME}/{name}", f.read()))
    wheel = f"Wheel-Version: 1.0\nGenerator: numen build_backend\nRoot-Is-Purelib: false\nTag: {_tag()}\n"
    files += [(f"{info}/METADATA", _metadata().encode()), (f"{info}/WHEEL", wheel.encode()),
              (f"{info}/top_level.txt", f"{NAME}\n".encode())]
    record = [_record_line(path, data) for path, data in files] + [f"{info}/RECORD,,"]
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    filename = f"{NAME}-{version}-{_tag()}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            entry = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, data)
    _log(f"wrote {filename}")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    """The checkout's tracked files (git ls-files), as numen-VERSION.tar.gz."""
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], check=True, capture_output=True).stdout
    base = f"{NAME}-{_version()}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for rel in sorted(p for p in listed.decode().split("\0") if p):
            tar.add(os.path.join(ROOT, rel), arcname=f"{base}/{rel}", recursive=False)
        pkg_info = _metadata().encode()
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(pkg_info)
        tar.addfile(entry, io.BytesIO(pkg_info))
    return filename
