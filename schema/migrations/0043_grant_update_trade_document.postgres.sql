GRANT UPDATE (status) ON trade_document TO tradeproof_app
