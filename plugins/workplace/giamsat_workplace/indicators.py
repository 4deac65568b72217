"""What the workplace channel assesses, quoted from the 2022 Hà Nội plan (seed 000 §II.1).

DD1–DD9: the 9 manifestations of ethical and lifestyle degradation named by Nghị quyết
Trung ương 4 khóa XII (§II.1.1 items (1)–(9)); DD-CV: public-service and professional
ethics (chuẩn mực đạo đức công vụ, đạo đức nghề nghiệp, §II.1.2). Texts are NFC.
"""

from typing import Final

MANIFESTATIONS: Final[tuple[tuple[str, str], ...]] = (
    (
        "DD1",
        (
            "Cá nhân chủ nghĩa, sống ích kỷ, thực dụng, cơ hội, vụ lợi; chỉ lo thu vén cá "
            "nhân, không quan tâm đến lợi ích tập thể; ganh ghét, đố kỵ, so bì, tị nạnh, "
            "không muốn người khác hơn mình."
        ),
    ),
    (
        "DD2",
        (
            "Vi phạm nguyên tắc tập trung dân chủ, gây mất đoàn kết nội bộ; đoàn kết xuôi "
            "chiều, dân chủ hình thức; cục bộ, bè phái, kèn cựa địa vị, tranh chức, tranh "
            "quyền; độc đoán, gia trưởng, thiếu dân chủ trong chỉ đạo, điều hành."
        ),
    ),
    (
        "DD3",
        ("Kê khai tài sản, thu nhập không trung thực."),
    ),
    (
        "DD4",
        (
            'Mắc bệnh "thành tích", háo danh, phô trương, che dấu khuyết điểm, thổi phồng '
            'thành tích, "đánh bóng" tên tuổi; thích được đề cao, ca ngợi; "chạy thành '
            'tích", "chạy khen thưởng", "chạy danh hiệu".'
        ),
    ),
    (
        "DD5",
        (
            "Quan liêu, xa rời quần chúng, không sâu sát cơ sở, thiếu kiểm tra, đôn đốc, "
            "không nắm chắc tình hình địa phương, cơ quan, đơn vị mình; thờ ơ, vô cảm, "
            "thiếu trách nhiệm trước những khó khăn, bức xúc và đòi hỏi chính đáng của nhân "
            "dân."
        ),
    ),
    (
        "DD6",
        (
            "Quyết định hoặc tổ chức thực hiện gây lãng phí, thất thoát tài chính, tài sản, "
            "ngân sách nhà nước, đất đai, tài nguyên...; đầu tư công tràn lan, hiệu quả "
            "thấp hoặc không hiệu quả; mua sắm, sử dụng tài sản công vượt quy định; chi "
            "tiêu công quỹ tùy tiện, vô nguyên tắc. Sử dụng lãng phí nguồn nhân lực, phí "
            "phạm thời gian lao động."
        ),
    ),
    (
        "DD7",
        (
            "Tham ô, tham nhũng, lợi dụng chức vụ, quyền hạn cấu kết với doanh nghiệp, với "
            "đối tượng khác để trục lợi. Lợi dụng, lạm dụng chức vụ, quyền hạn được giao để "
            "dung túng, bao che, tiếp tay cho tham nhũng, tiêu cực."
        ),
    ),
    (
        "DD8",
        (
            "Thao túng trong công tác cán bộ; chạy chức, chạy quyền, chạy chỗ, chạy luân "
            "chuyển, chạy bằng cấp, chạy tội... Sử dụng quyền lực được giao để phục vụ lợi "
            "ích cá nhân hoặc để người thân, người quen lợi dụng chức vụ, quyền hạn của "
            "mình để trục lợi."
        ),
    ),
    (
        "DD9",
        (
            "Đánh bạc, rượu chè bê tha, mê tín dị đoan, ủng hộ hoặc tham gia các tổ chức "
            "tôn giáo bất hợp pháp. Sa vào các tệ nạn xã hội, vi phạm thuần phong, mỹ tục, "
            "truyền thống văn hóa tốt đẹp của dân tộc, chuẩn mực đạo đức gia đình và xã "
            "hội."
        ),
    ),
    (
        "DD-CV",
        (
            "Việc thực hiện các chuẩn mực đạo đức công vụ và đạo đức nghề nghiệp của người "
            "đứng đầu, cán bộ chủ chốt, cán bộ, đảng viên."
        ),
    ),
)

#: The codes, in order.
CODES: Final[tuple[str, ...]] = tuple(code for code, _ in MANIFESTATIONS)
