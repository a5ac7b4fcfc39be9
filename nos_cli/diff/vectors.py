"""Node embeddings cached beside the search index, so only the first semantic diff of a map encodes its nodes.

One file per map file, in the index cache's folder, on its rules (nos_cli.maps.cachedir: ``NOS_CACHE_DIR``, else
``$XDG_CACHE_HOME/nos``, else ``~/.cache/nos``), named ``vectors-<hash of the map's path>.f32``. The file is a
one-line ASCII header, ``nos-vectors 1 <content key> <rows> <columns>``, then the vectors as little-endian
float32 bytes, read back with ``numpy.frombuffer``: plain numbers, nothing that can run code on loading (no
pickle). The content key is a SHA-256 of the encoder's identity (model, tokenizer, pipeline) and of every text
encoded, so an edited map, a new alias or another model makes a new entry; an entry whose key, size or header
does not match is encoded again and replaced. Writes are atomic; an unwritable folder only means no caching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nos_cli.maps.cachedir import enabled, trusted_dir

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np

    Vectors: TypeAlias = "np.ndarray[Any, np.dtype[np.float32]]"

MAGIC = "nos-vectors"
LAYOUT = 1


def content_key(identity: str, texts: Sequence[str]) -> str:
    h = hashlib.sha256(identity.encode("utf-8"))
    for text in texts:  # a length prefix each, so ("ab", "c") and ("a", "bc") differ
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def entry_path(map_path: str, folder: Path) -> Path:
    resolved = Path(map_path).resolve()
    return folder / f"vectors-{hashlib.sha1(str(resolved).encode('utf-8', 'surrogatepass')).hexdigest()[:24]}.f32"


def cached_vectors(map_path: str, identity: str, texts: Sequence[str], encode: Callable[[Sequence[str]], Vectors],
                   *, use_cache: bool = True) -> Vectors:
    """``encode(texts)``, from the cache while the map's texts and the encoder are unchanged."""
    folder = trusted_dir() if use_cache and enabled() and map_path != "-" else None  # owned by the user, or none
    if folder is None or not Path(map_path).is_file():
        return encode(texts)
    key = content_key(identity, texts)
    entry = entry_path(map_path, folder)
    found = read(entry, key, rows=len(texts))
    if found is not None:
        return found
    vectors = encode(texts)
    write(entry, key, vectors)
    return vectors


#: The widest embedding read back (all-MiniLM-L6-v2 gives 384): bounds what an entry may claim to hold.
MAX_COLUMNS = 4096


def read(entry: Path, key: str, *, rows: int) -> Vectors | None:
    """The vectors of an entry when it is a regular file holding exactly ``rows`` vectors under ``key``; else
    None (the caller encodes again). Read through the one safe reader, capped at the size such an entry can have:
    a planted link, FIFO or oversized file is never trusted."""
    import numpy as np

    from nos_cli.errors import NosError
    from nos_cli.files.read import read_input

    try:
        got = read_input(entry, max_bytes=256 + 4 * rows * MAX_COLUMNS)
    except NosError:
        return None  # missing, a FIFO, a device, unreadable
    if got.over or entry.is_symlink():
        return None
    data = got.data
    end = data.find(b"\n", 0, 256)
    if end < 0:
        return None
    try:
        magic, layout, stored_key, n_rows, n_cols = data[:end].decode("ascii").split(" ")
        shape = (int(n_rows), int(n_cols))
    except ValueError:
        return None
    body = memoryview(data)[end + 1:]
    if (magic, layout, stored_key) != (MAGIC, str(LAYOUT), key) or shape[0] != rows or \
            not 0 < shape[1] <= MAX_COLUMNS or len(body) != 4 * shape[0] * shape[1]:
        return None
    return np.frombuffer(body, dtype="<f4").reshape(shape).astype(np.float32)


def write(entry: Path, key: str, vectors: Vectors) -> None:
    import numpy as np

    from nos_cli.errors import NosError
    from nos_cli.files.write import write_atomic

    rows, cols = vectors.shape
    header = f"{MAGIC} {LAYOUT} {key} {rows} {cols}\n".encode("ascii")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, header + np.ascontiguousarray(vectors, dtype="<f4").tobytes())
    except (OSError, NosError):
        pass  # an unwritable cache only means the next run encodes the nodes again
