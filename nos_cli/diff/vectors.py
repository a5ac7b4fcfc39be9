"""Node embeddings cached beside the search index, so only the first semantic diff of a map encodes its nodes.

One file per map file, in the index cache's folder (nos_cli.maps.cache: ``NOS_CACHE_DIR``, else
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

from nos_cli.maps.cache import cache_dir, enabled

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


def entry_path(map_path: str) -> Path:
    resolved = Path(map_path).resolve()
    return cache_dir() / f"vectors-{hashlib.sha1(str(resolved).encode('utf-8', 'surrogatepass')).hexdigest()[:24]}.f32"


def cached_vectors(map_path: str, identity: str, texts: Sequence[str], encode: Callable[[Sequence[str]], Vectors],
                   *, use_cache: bool = True) -> Vectors:
    """``encode(texts)``, from the cache while the map's texts and the encoder are unchanged."""
    if map_path == "-" or not (use_cache and enabled()) or not Path(map_path).is_file():
        return encode(texts)
    key = content_key(identity, texts)
    entry = entry_path(map_path)
    found = read(entry, key)
    if found is not None and found.shape[0] == len(texts):
        return found
    vectors = encode(texts)
    write(entry, key, vectors)
    return vectors


def read(entry: Path, key: str) -> Vectors | None:
    import numpy as np

    try:
        data = entry.read_bytes()
    except OSError:
        return None
    end = data.find(b"\n", 0, 256)
    if end < 0:
        return None
    try:
        magic, layout, stored_key, rows, cols = data[:end].decode("ascii").split(" ")
        shape = (int(rows), int(cols))
    except ValueError:
        return None
    body = memoryview(data)[end + 1:]
    if (magic, layout, stored_key) != (MAGIC, str(LAYOUT), key) or len(body) != 4 * shape[0] * shape[1]:
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
