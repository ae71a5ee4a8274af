CREATE TABLE IF NOT EXISTS tile (
  tile_level INT8 NOT NULL CONSTRAINT tile_tile_level_check CHECK (tile_level >= 1 AND tile_level <= 7),
  tile_index INT8 NOT NULL CONSTRAINT tile_tile_index_check CHECK (tile_index >= 0),
  width INT8 NOT NULL CONSTRAINT tile_width_check CHECK (width BETWEEN 1 AND 256),
  hashes BYTEA NOT NULL CONSTRAINT tile_check CHECK (octet_length(hashes) = width * 32),
  PRIMARY KEY (tile_level, tile_index, width)
)
