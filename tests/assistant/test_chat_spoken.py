"""Chat input on the real documents: spoken words ("xài", "nhiêu", "mần mấy việc gì"), a
greeting to "ad" before a long message about the asker's work, and a Party body named as
the holder of the tasks asked (entities.toml bodies: the list of another heading is not its)."""

from __future__ import annotations


def test_spoken_words_reach_the_figure(corpus_app):
    a = corpus_app.ask("Tới 2030 tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo phải được nhiêu phần trăm?")
    assert not a.abstained and "40%" in a.answer
    a = corpus_app.ask("Giao dịch hổng xài tiền mặt tới năm 2030 phải được nhiêu phần trăm?")
    assert not a.abstained and "80%" in a.answer


def test_the_tasks_of_a_party_body_come_from_its_clause(corpus_app):
    a = corpus_app.ask("Nghị quyết 20 giao Đảng đoàn Quốc hội mần mấy việc gì?")
    assert not a.abstained
    assert "sửa đổi, bổ sung hoàn thiện các luật" in a.answer
    assert a.citations[0].label.startswith("Nghị quyết 20-NQ/TW, Phần C, điểm 2")


def test_a_greeting_to_ad_before_the_askers_work_leaves_the_ask(corpus_app):
    q = (
        "Chào ad, em là cán bộ văn phòng của một sở, đang được giao tổng hợp báo cáo cho lãnh đạo. "
        "Kết luận 69 giao Ban Tuyên giáo Trung ương làm gì?"
    )
    assert corpus_app.condense(q, []).startswith("Kết luận 69 giao Ban Tuyên giáo Trung ương")
    a = corpus_app.ask(q)
    assert not a.abstained and "sơ kết, tổng kết" in a.answer


def test_a_polite_greeting_and_em_thac_mac_la_lead_to_the_ask(corpus_app):
    q = (
        "Dạ em chào anh chị, em mới về phòng tổng hợp của ubnd huyện, sếp giao em đọc mấy văn bản "
        "về khcn. Em thắc mắc là kh01 có mấy hệ thống chiến lược ạ"
    )
    assert corpus_app.condense(q, []) == "Kế hoạch 01 có mấy hệ thống chiến lược"
    a = corpus_app.ask(q)
    assert not a.abstained and "6" in a.answer


def test_the_item_a_list_ask_is_about_is_answered_not_its_whole_list(corpus_app):
    # answers.toml document_reference: "Kế hoạch đó" refers to the text, it is no subject
    # word; the one item of II.3 that opens with the subject answers (tree._subject_item)
    q = (
        "Tôi công tác ở phòng quản lý khoa học của một trường đại học. Lãnh đạo muốn học cách làm "
        "của Viện Hàn lâm. Kế hoạch đó nói Trung tâm Đổi mới sáng tạo tại viện sẽ làm những việc gì?"
    )
    a = corpus_app.ask(q)
    assert not a.abstained and "thương mại hóa" in a.answer
    assert a.citations[0].label.endswith("Mục II, điểm 3, gạch đầu dòng thứ 5")


def test_an_ask_reported_from_the_boss_after_an_addressed_intro(corpus_app):
    q = (
        "anh chị ơi em làm ở phòng cntt của ubnd quận, sếp hỏi nq57 đặt mục tiêu gì về phủ sóng 5g "
        "với đô thị thông minh"
    )
    assert corpus_app.condense(q, []).startswith("Nghị quyết 57 đặt mục tiêu gì về phủ sóng 5g")
    a = corpus_app.ask(q)
    assert not a.abstained and "5G" in a.answer


def test_where_a_report_is_sent_is_no_list_of_the_documents_recipients(corpus_app):
    # answers.toml sent_to: "báo cáo tình hình thực hiện kế hoạch gửi về …" asks of the report
    q = (
        "Mình làm kế toán ở một viện nghiên cứu thuộc VHL. Mình cần biết báo cáo tình hình thực hiện "
        "kế hoạch gửi về viện hàn lâm qua ban nào, hạn ngày nào"
    )
    a = corpus_app.ask(q)
    assert not a.abstained and "Ban Kế hoạch - Tài chính" in a.answer
    assert "Nơi nhận" not in a.answer
