GRANT SELECT, INSERT ON financing, financing_lender, financing_response, financed_root, credit_limit TO tradeproof_app
