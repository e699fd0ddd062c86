"""Generated Python code for examples/proto/greeter.proto, made at run time with grpcio-tools.

The modules `greeter_pb2` (messages) and `greeter_pb2_grpc` (grpcio stubs) are generated into a
cache directory named after a hash of the proto and the grpcio-tools version,
`<repo>/.peers/grpc-python/<hash>/` (gitignored; override the parent with $PEERS_GRPC_PY_DIR),
once: a generation writes into a fresh temporary directory that is renamed into place, so
concurrent test processes never see a half-written cache.

Shared by the grpcio drivers (this folder) and the apache-dubbo drivers (../dubbo_python).
`load()` raises ImportError when grpcio-tools is not installed (drivers then exit 3).
"""
import hashlib
import importlib
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))
PROTO = os.path.join(REPO_ROOT, 'examples', 'proto', 'greeter.proto')

SERVICE = 'org.apache.dubbo.samples.greeter.Greeter'


def _cache_root():
    return os.environ.get('PEERS_GRPC_PY_DIR') or os.path.join(REPO_ROOT, '.peers', 'grpc-python')


def load():
    """Returns (greeter_pb2, greeter_pb2_grpc), generating them first when needed."""
    from grpc_tools import protoc  # ImportError -> grpcio-tools missing
    import grpc_tools

    with open(PROTO, 'rb') as f:
        proto = f.read()
    version = getattr(grpc_tools, '__version__', None)
    if version is None:
        try:
            from importlib.metadata import version as dist_version
            version = dist_version('grpcio-tools')
        except Exception:  # pragma: no cover - very old installs
            version = 'unknown'
    key = hashlib.sha256(proto + version.encode()).hexdigest()[:16]
    root = _cache_root()
    target = os.path.join(root, key)
    if not os.path.isfile(os.path.join(target, 'greeter_pb2_grpc.py')):
        os.makedirs(root, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix='gen-', dir=root)
        try:
            shutil.copyfile(PROTO, os.path.join(tmp, 'greeter.proto'))
            include = os.path.join(os.path.dirname(protoc.__file__), '_proto')
            rc = protoc.main(['grpc_tools.protoc', '-I' + tmp, '-I' + include,
                              '--python_out=' + tmp, '--grpc_python_out=' + tmp,
                              os.path.join(tmp, 'greeter.proto')])
            if rc != 0:
                raise RuntimeError('grpc_tools.protoc failed with %d for %s' % (rc, PROTO))
            try:
                os.rename(tmp, target)
                tmp = None
            except OSError:
                # another process was first: use its copy
                if not os.path.isfile(os.path.join(target, 'greeter_pb2_grpc.py')):
                    raise
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
    if target not in sys.path:
        sys.path.insert(0, target)
    return importlib.import_module('greeter_pb2'), importlib.import_module('greeter_pb2_grpc')
