"""People's feedback (góp ý, Quyết định 99-QĐ/TW) to a party committee or cadre, tracked until the
recipient takes it in and explains (tiếp thu, giải trình)."""
