GRANT UPDATE ON trade_document TO tradeproof_app
