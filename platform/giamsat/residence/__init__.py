"""Residence supervision (giám sát đảng viên ở nơi cư trú, Quy định 213-QĐ/TW).

A shortfall in a residence duty that the pack records at the residence (its rules'
``record_at_residence`` verb) becomes a finding on the party member's residence record at the
commune where the member lives, never a case at the managing level. The commune's staff add
their assessment of the year, and produce the year-end comment (phiếu nhận xét đảng viên nơi cư
trú) for each member and the list for the workplace party organisations.
"""
