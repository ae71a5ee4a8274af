GRANT UPDATE ON financing_response TO tradeproof_app
