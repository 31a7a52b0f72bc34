"""Our passes of the partitioner, by name (see unified.passes)."""

PASSES = {
    "tile-for-hw": "partition.tile_for_hw:TileForHw",
}
