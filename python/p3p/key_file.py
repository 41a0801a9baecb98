"""The cluster key file, judged by bus/key_file.hpp's rules: the raw bytes of a regular file, 32 to 4096 of
them, granting nothing to group or others."""
import os
import stat


def load_key(path):
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such key file (make one with: p3pctl keygen {path})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"{path}: the key is not a regular file")
    if st.st_mode & 0o077:
        raise ValueError(f"{path}: the key file is mode {stat.S_IMODE(st.st_mode):04o}, readable by others: chmod 600 {path}")
    with open(path, "rb") as f:
        key = f.read(4097)
    if not 32 <= len(key) <= 4096:
        raise ValueError(f"{path}: a key has 32 to 4096 bytes, this one {len(key)}{'+' if len(key) > 4096 else ''}")
    return key
