"""OS mechanisms with no vem concept: atomic writes, bounded reads, locks, deleting a
tree, swapping directories, mount points. Imports nothing of vem but the vocabulary."""
