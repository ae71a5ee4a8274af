GRANT UPDATE (transferred_minor, settled_minor, credited_minor, status, on_hold) ON receivable TO tradeproof_app
