GRANT UPDATE (status) ON financing_response TO tradeproof_app
