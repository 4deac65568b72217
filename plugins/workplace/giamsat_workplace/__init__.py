"""The workplace channel (giám sát cán bộ, đảng viên ở nơi làm việc).

Trade unions (Công đoàn, aggregated by the Liên đoàn Lao động at each level) assess
cadres at their workplace against the 9 manifestations DD1–DD9 and public-service
ethics DD-CV, under Hướng dẫn 44/HD-TLĐ of 20/12/2021, and report to the Front at the
same level (seed 000 §III.3.3). Installed as its own distribution, loaded through the
``giamsat.channels`` entry point like any partner's plugin.
"""
