"""File contents to and from the store: chunking, sealing chunks into packs,
the upload and download pipeline."""
