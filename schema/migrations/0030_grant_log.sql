GRANT SELECT, INSERT ON leaf, tile, checkpoint, witness, cosignature TO tradeproof_app
