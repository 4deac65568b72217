"""The 7 duties of working party members at their place of residence (NCT1–NCT7).

Quoted from the 2022 Hà Nội plan (seed 000 §II.2), which cites Điều 2 Quy định
213-QĐ/TW of 02/01/2020. Texts are NFC.
"""

from typing import Final

DUTIES: Final[tuple[tuple[str, str], ...]] = (
    (
        "NCT1",
        (
            "Nêu gương về phẩm chất chính trị, đạo đức, lối sống và vai trò tiền phong, "
            "gương mẫu của người cán bộ, đảng viên trước nhân dân nơi cư trú."
        ),
    ),
    (
        "NCT2",
        (
            "Gương mẫu thực hiện nghĩa vụ công dân; tuyên truyền, vận động gia đình và nhân "
            "dân trên địa bàn dân cư thực hiện các chủ trương, đường lối của Đảng, chính "
            "sách, pháp luật của Nhà nước và các quy định của địa phương nơi cư trú."
        ),
    ),
    (
        "NCT3",
        (
            "Tham gia đầy đủ, nghiêm túc các cuộc họp định kỳ và tích cực tham gia các cuộc "
            "họp khác do cấp ủy nơi cư trú triệu tập. Tích cực tham gia góp ý kiến với chi "
            "ủy, chi bộ, đảng ủy cơ sở nơi cư trú về các công việc chung của địa phương, "
            "nhất là những vấn đề bức xúc ở thôn, bản, tổ dân phố."
        ),
    ),
    (
        "NCT4",
        (
            "Tham gia các cuộc họp của nhân dân nơi cư trú; thường xuyên giữ mối liên hệ "
            "với chi ủy, trưởng thôn, bản, tổ trưởng dân phố, ban công tác mặt trận nơi cư "
            "trú để nắm bắt tình hình nhân dân; phản ánh những ý kiến của nhân dân tới cơ "
            "quan có thẩm quyền."
        ),
    ),
    (
        "NCT5",
        (
            "Tuyên truyền, vận động nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính "
            "quyền ở cơ sở, giám sát cán bộ, đảng viên trong việc tu dưỡng, rèn luyện đạo "
            "đức, lối sống và thực hiện trách nhiệm nêu gương."
        ),
    ),
    (
        "NCT6",
        (
            "Tham gia và vận động các thành viên trong gia đình tham gia các cuộc vận động, "
            "các phong trào thi đua do địa phương phát động. Vận động gia đình và nhân dân "
            "xây dựng mối quan hệ gắn bó đoàn kết, xây dựng đời sống văn hoá ở khu dân cư."
        ),
    ),
    (
        "NCT7",
        (
            "Báo cáo kết quả thực hiện các nhiệm vụ tại nơi cư trú với chi ủy nơi công tác "
            "vào dịp kiểm điểm, đánh giá đảng viên hằng năm. Kịp thời báo cáo với chi ủy "
            "nơi công tác và nơi cư trú khi chuyển sang nơi cư trú khác."
        ),
    ),
)

#: The codes, in order.
CODES: Final[tuple[str, ...]] = tuple(code for code, _ in DUTIES)
