"""Long id lists in pieces a database takes in one statement."""

ID_CHUNK = 5000


def id_chunks(ids, size=ID_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
