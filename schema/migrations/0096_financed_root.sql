CREATE TABLE IF NOT EXISTS financed_root (
  root_id UUID NOT NULL CONSTRAINT financed_root_root_id_fkey REFERENCES receivable (id),
  face_minor INT8 NOT NULL CONSTRAINT financed_root_face_minor_check CHECK (face_minor > 0),
  financed_minor INT8 NOT NULL CONSTRAINT financed_root_financed_minor_check CHECK (financed_minor >= 0),
  CONSTRAINT financed_root_pkey PRIMARY KEY (root_id),
  CONSTRAINT financed_root_check CHECK (financed_minor <= face_minor)
)
