"""Cases (vụ việc): from the first signal to the answer of the same-level party committee."""
