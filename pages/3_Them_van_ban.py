"""Trợ lý Nghị quyết — "Thêm văn bản": add a document from a file (PDF, DOCX, TXT, MD,
HTML) with the catalog entry its header proposes, shown for confirmation and editable;
put a new file in a document's place; remove a document. Every change goes through the
public API (Assistant.propose_upload / ingest_new / replace_document / remove), which keeps
the other documents' chunk ids and citations; a refused file changes nothing. Only when
uploads are on (TROLY_UPLOADS=true; off by default for shared deployments).
"""

from __future__ import annotations

import hashlib
import math
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from assistant import ui_render as ui
from assistant.errors import DocumentError, TrolyError
from assistant.intake import differences
from assistant.server import signin
from assistant.settings import Settings
from assistant.types import AUTHORITIES, DocumentInfo
from ui_shell import load_settings, open_assistant

st.set_page_config(page_title="Thêm văn bản — Trợ lý Nghị quyết", page_icon=ui.FAVICON, layout="wide")
st.html(ui.CSS)
# the picker's own size hint is the generous bound of uploader(), in English; the label says ours
st.html("<style>[data-testid='stFileUploaderDropzoneInstructions']{display:none}</style>")
TYPES = "PDF, DOCX, TXT, MD, HTML"  # retrieval.loading.SUPPORTED: other files are refused with the reason


def load_app():
    settings = load_settings()
    signin.current_user(settings)  # with sign-in on, only a signed-in user gets further
    if not settings.uploads:
        st.title("Thêm văn bản")
        st.info(
            "Chức năng thêm, thay và gỡ văn bản trên giao diện đang tắt. Người quản trị bật nó bằng biến "
            "môi trường TROLY_UPLOADS=true (hoặc `uploads = true` trong troly.toml); trên máy chủ dùng chung "
            "nên để tắt và thêm văn bản bằng lệnh `troly ingest TỆP`."
        )
        st.stop()
    return open_assistant(settings)


def limit_mb(settings: Settings) -> float:
    return min(settings.upload_max_mb, settings.max_file_mb)


def upload_problem(upload, settings: Settings) -> str | None:
    """Why an upload is refused before it is read (its size, its name), or None."""
    if Path(upload.name).name != upload.name or upload.name.startswith("."):
        return f"Không nhận tệp {upload.name}: tên tệp không được bắt đầu bằng dấu chấm hay chứa đường dẫn."
    limit = limit_mb(settings)
    if upload.size > limit * 1e6:
        return (
            f"Không nhận tệp {upload.name}: tệp {upload.size / 1e6:.1f} MB vượt giới hạn {limit:g} MB "
            "(TROLY_UPLOAD_MAX_MB); hãy tách tệp nhỏ hơn."
        )
    if upload.size == 0:
        return f"Không nhận tệp {upload.name}: tệp rỗng."
    return None


def uploader(key: str, settings: Settings):
    """A file picker that takes any file under a generous size: a file of another type or
    over our limit gets a Vietnamese reason (from the loader, or upload_problem) rather than
    the widget's English one."""
    n = st.session_state.setdefault(f"{key}_n", 0)  # a new key empties the picker after a change
    return st.file_uploader(
        f"Chọn tệp ({TYPES}; tối đa {limit_mb(settings):g} MB)",
        key=f"{key}_{n}",
        max_upload_size=max(math.ceil(limit_mb(settings) * 2), 1),
    )


def clear_uploader(key: str) -> None:
    st.session_state[f"{key}_n"] = st.session_state.get(f"{key}_n", 0) + 1


def proposal_for(app, upload, replacing: str | None = None):
    """The entry the upload's header proposes, read once per file content (OCR pages shown
    on a bar); None, with the reason shown, when the file cannot be read."""
    data = upload.getvalue()
    key = ("proposal", upload.name, hashlib.sha256(data).hexdigest(), replacing)
    cache = st.session_state.setdefault("proposals", {})
    if key not in cache:
        with st.status(f"Đang đọc phần đầu của {upload.name}…", expanded=True) as status:
            bar = st.progress(0.0, text="Đọc tệp")
            try:
                cache[key] = app.propose_upload(
                    upload.name,
                    data,
                    replacing,
                    on_page=lambda n, total: bar.progress(n / total, text=f"Nhận dạng chữ (OCR): trang {n}/{total}"),
                )
            except DocumentError as exc:
                cache[key] = str(exc)
            ok = not isinstance(cache[key], str)
            status.update(
                label=f"Đã đọc {upload.name}" if ok else f"Không đọc được {upload.name}",
                state="complete" if ok else "error",
                expanded=False,
            )
    if isinstance(cache[key], str):
        st.error(f"Không nhận tệp: {cache[key]}. Không có gì thay đổi.")
        return None
    return cache[key]


def entry_form(app, prefix: str, entry: DocumentInfo, fixed_id: bool = False) -> DocumentInfo:
    """Editable fields of a catalog entry (inside a form); returns the entry as edited. The
    fields start from entry once per prefix (session state), so a button can refill them."""
    docs = {d.id: d.short for d in app.indexed_catalog().documents if d.id != entry.id}
    start = {
        "id": entry.id,
        "short": entry.short,
        "kind": entry.kind,
        "title": entry.title,
        "issuer": entry.issuer,
        "date": entry.date,
        "authority": entry.authority if entry.authority in AUTHORITIES else "secondary",
        "cite": entry.cite_as,
        "aliases": "\n".join(entry.aliases),
        "implements": [i for i in entry.implements if i in docs],
    }
    for key, value in start.items():
        st.session_state.setdefault(prefix + key, value)
    c1, c2, c3 = st.columns(3)
    doc_id = c1.text_input("Mã (dùng trong liên kết, `troly show`)", key=f"{prefix}id", disabled=fixed_id)
    short = c2.text_input("Số hiệu / tên ngắn", key=f"{prefix}short")
    kind = c3.text_input("Loại văn bản", key=f"{prefix}kind")
    title = st.text_area("Tiêu đề", key=f"{prefix}title", height=80)
    c1, c2, c3 = st.columns(3)
    issuer = c1.text_input("Cơ quan ban hành", key=f"{prefix}issuer")
    date = c2.text_input("Ngày ban hành (NNNN-TT-NN)", key=f"{prefix}date")
    authority = c3.selectbox(
        "Loại nguồn", list(AUTHORITIES), key=f"{prefix}authority", format_func=lambda a: ui.AUTHORITY.get(a, (a,))[0]
    )
    cite_as = st.text_input("Cách trích dẫn (đầu mỗi nhãn trích dẫn)", key=f"{prefix}cite")
    c1, c2 = st.columns(2)
    aliases = c1.text_area("Tên gọi khác (mỗi dòng một tên)", key=f"{prefix}aliases", height=120)
    implements = c2.multiselect(
        "Thực hiện / căn cứ văn bản",
        list(docs),
        key=f"{prefix}implements",
        format_func=lambda d: f"{docs.get(d, d)} ({d})",
    )
    names = tuple(dict.fromkeys(a.strip() for a in aliases.splitlines() if a.strip()))
    return replace(
        entry,
        id=entry.id if fixed_id else doc_id.strip(),
        short=short.strip(),
        kind=kind.strip(),
        title=" ".join(title.split()),
        issuer=issuer.strip(),
        date=date.strip(),
        authority=authority,
        cite_as=cite_as.strip(),
        aliases=names,
        implements=tuple(implements),
    )


def staged(upload) -> Path:
    """The upload written to a folder of its own (the ingest copies it into the sources)."""
    folder = Path(tempfile.mkdtemp(prefix="troly-upload-"))
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


def progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return lambda stage, share: bar.progress(min(max(share, 0.0), 1.0), text=stage)


def messages(report, path: Path, name: str) -> list[str]:
    """The ingest's errors, naming the upload rather than its staging folder."""
    return [m.replace(str(path), name) for _, m in report.errors]


def show_done() -> None:
    """What the last change did, once, with the ways to the document."""
    done = st.session_state.pop("library_done", None)
    if not done:
        return
    st.success(done["text"])
    for note in done.get("notes", []):
        st.info(note)
    if done.get("doc"):
        c1, c2 = st.columns(2)
        with c1:
            st.page_link(
                "pages/1_Van_ban.py",
                label=f"Xem {done['short']} trong trang Văn bản",
                icon=":material/description:",
                query_params={"doc": done["doc"]},
            )
        c2.button(
            "Hỏi về văn bản này", icon=":material/forum:", key="ask_about", on_click=ask_about, args=(done["doc"],)
        )


def ask_about(doc_id: str) -> None:
    st.session_state.ask_doc = doc_id


def add_tab(app) -> None:
    st.caption(
        "Phần đầu văn bản (cơ quan ban hành, số hiệu, ngày, tên loại, trích yếu, các dòng “Căn cứ”) được đọc "
        "để đề xuất mục danh mục; hãy kiểm tra và sửa trước khi nạp. Trang quét được nhận dạng chữ (OCR)."
    )
    upload = uploader("add_file", app.settings)
    if upload is None:
        return
    problem = upload_problem(upload, app.settings)
    if problem:
        st.error(problem + " Không có gì thay đổi.")
        return
    holder = app.indexed_catalog().by_file(upload.name)
    if holder is not None or (app.settings.sources / upload.name).exists():
        owner = f" của văn bản {holder.short}" if holder else ""
        st.error(
            f"Không nhận tệp {upload.name}: thư mục nguồn đã có tệp cùng tên{owner}. Hãy dùng thẻ "
            "“Thay văn bản” để thay nó, hoặc đổi tên tệp mới. Không có gì thay đổi."
        )
        return
    proposal = proposal_for(app, upload)
    if proposal is None:
        return
    with st.expander("Những gì đọc được từ phần đầu văn bản", expanded=False):
        st.text(proposal.describe())
    digest = hashlib.sha256(upload.getvalue()).hexdigest()[:8]
    with st.form(f"add_form_{digest}"):
        st.markdown("**Mục danh mục đề xuất** — sửa nếu cần, rồi bấm Nạp văn bản.")
        entry = entry_form(app, f"add_{digest}_", proposal.entry)
        submitted = st.form_submit_button("Nạp văn bản", type="primary", icon=":material/upload:")
    if not submitted:
        return
    problems = app.check_entry(entry)
    if problems:
        st.error("Mục danh mục chưa hợp lệ: " + "; ".join(problems) + ".")
        return
    path = staged(upload)
    try:
        with st.status(f"Đang nạp {upload.name}…", expanded=True) as status:
            report = app.ingest_new(
                [path],
                [replace(proposal, entry=entry, path=path)],
                progress=False,
                on_progress=progress_bar("Chuẩn bị"),
            )
            ok = entry.id in report.added
            status.update(label="Đã nạp xong" if ok else "Không nạp được", state="complete" if ok else "error")
    except TrolyError as exc:
        st.error(f"Không nạp được {upload.name}: {exc}. Không có gì thay đổi.")
        return
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    if not ok:
        st.error(
            "Không nạp được: "
            + "; ".join(messages(report, path, upload.name) or ["không rõ lý do"])
            + ". Không có gì thay đổi."
        )
        return
    chunks = len(app.table_of_contents(entry.id))
    clear_uploader("add_file")
    st.session_state.library_done = {
        "text": f"Đã nạp {entry.short} ({entry.id}): {chunks} đoạn trong {report.seconds:.1f} giây; mục danh mục "
        "đã ghi. Văn bản có trong bộ lọc “Phạm vi câu hỏi” của trang Trò chuyện và trong trang Văn bản.",
        "doc": entry.id,
        "short": entry.short,
    }
    st.rerun()


def pick(app, key: str):
    stats = [s for s in app.documents() if s.chunks]
    names = {s.doc.id: f"{s.doc.short} — {s.chunks} đoạn ({s.doc.file})" for s in stats}
    doc_id = st.selectbox("Văn bản", list(names), key=key, format_func=names.get)
    return next(s.doc for s in stats if s.doc.id == doc_id)


def replace_tab(app) -> None:
    st.caption(
        "Tệp mới thay tệp cũ của văn bản; văn bản giữ nguyên mã nên các trích dẫn và liên kết tới nó vẫn "
        "dùng được, các văn bản khác không đổi. Tệp cũ được lưu lại trong thư mục removed/ của dữ liệu."
    )
    doc = pick(app, "rep_doc")
    upload = uploader("rep_file", app.settings)
    if upload is None:
        return
    problem = upload_problem(upload, app.settings)
    if problem:
        st.error(problem + " Không có gì thay đổi.")
        return
    proposal = proposal_for(app, upload, replacing=doc.id)
    if proposal is None:
        return
    diffs = differences(doc, proposal.entry)
    if diffs:
        st.warning(
            "Phần đầu tệp mới đọc khác mục danh mục hiện có: "
            + "; ".join(f"{name}: {new} (đang ghi: {old or 'trống'})" for name, old, new in diffs)
            + ". Sửa bên dưới nếu tệp mới đúng là như vậy."
        )
    prefix = f"rep_{doc.id}_{hashlib.sha256(upload.getvalue()).hexdigest()[:8]}_"
    st.button("Điền theo phần đầu tệp mới", key=f"{prefix}fill", on_click=fill_from, args=(prefix, proposal.entry))
    with st.form(f"{prefix}form"):
        st.markdown(f"**Mục danh mục của {doc.short}** (mã giữ nguyên)")
        entry = entry_form(app, prefix, doc, fixed_id=True)
        force = st.checkbox(
            "Nhận cả khi bản mới trông như bị hỏng (ngắn đi nhiều, mất đánh số điều khoản)", key=f"{prefix}force"
        )
        submitted = st.form_submit_button("Thay văn bản", type="primary", icon=":material/swap_horiz:")
    if not submitted:
        return
    entry = replace(entry, file=Path(upload.name).name)
    problems = app.check_entry(entry, replacing=doc.id)
    if problems:
        st.error("Mục danh mục chưa hợp lệ: " + "; ".join(problems) + ".")
        return
    path = staged(upload)
    try:
        with st.status(f"Đang thay {doc.short} bằng {upload.name}…", expanded=True) as status:
            done = app.replace_document(
                doc.id, path, entry, force=force, progress=False, on_progress=progress_bar("Chuẩn bị")
            )
            status.update(
                label="Đã thay xong" if done.accepted else "Không thay được",
                state="complete" if done.accepted else "error",
            )
    except TrolyError as exc:
        st.error(f"Không thay được {doc.short}: {exc}. Không có gì thay đổi.")
        return
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    if not done.accepted:
        st.error(
            "Không thay được: "
            + "; ".join(messages(done.report, path, upload.name) or ["không rõ lý do"])
            + f". {doc.short} giữ nguyên bản cũ."
        )
        return
    clear_uploader("rep_file")
    chunks = len(app.table_of_contents(doc.id))
    st.session_state.library_done = {
        "text": f"Đã thay {doc.short} bằng {upload.name}: {chunks} đoạn; tệp cũ lưu ở {done.aside}.",
        "doc": doc.id,
        "short": entry.short,
    }
    st.rerun()


def fill_from(prefix: str, proposed: DocumentInfo) -> None:
    """Put the fields the new header gives into the replacement form (the id stays)."""
    for key, value in (
        ("short", proposed.short),
        ("kind", proposed.kind),
        ("title", proposed.title),
        ("issuer", proposed.issuer),
        ("date", proposed.date),
        ("authority", proposed.authority),
        ("cite", proposed.cite_as),
    ):
        if value:
            st.session_state[prefix + key] = value


def remove_tab(app) -> None:
    st.caption(
        "Gỡ văn bản khỏi chỉ mục và danh mục; các văn bản khác giữ nguyên trích dẫn. Tệp nguồn được "
        "chuyển vào thư mục removed/ của dữ liệu (chép lại vào thư mục nguồn để nạp lại)."
    )
    doc = pick(app, "rm_doc")
    sure = st.checkbox(f"Tôi muốn gỡ {doc.short} ({doc.title[:80]})", key=f"rm_sure_{doc.id}")
    if not st.button("Gỡ văn bản", type="primary", icon=":material/delete:", disabled=not sure, key="rm_go"):
        return
    try:
        with st.status(f"Đang gỡ {doc.short}…", expanded=True) as status:
            done = app.remove(doc.id, progress=False, on_progress=progress_bar("Chuẩn bị"))
            status.update(label="Đã gỡ xong", state="complete")
    except TrolyError as exc:
        st.error(f"Không gỡ được {doc.short}: {exc}. Không có gì thay đổi.")
        return
    notes = (
        [
            f"{', '.join(d.short for d in done.dependents)} ghi là thực hiện hoặc căn cứ {doc.short}; "
            "mục danh mục của chúng giữ nguyên."
        ]
        if done.dependents
        else []
    )
    where = f"; tệp nguồn lưu ở {done.aside}" if done.aside else ""
    st.session_state.library_done = {"text": f"Đã gỡ {doc.short} ({doc.id}){where}.", "notes": notes}
    st.rerun()


# -- the page, top to bottom ---------------------------------------------------------------
app = load_app()
if "ask_doc" in st.session_state:  # "Hỏi về văn bản này": the chat page, scoped to it
    st.session_state.doc_filter = st.session_state.pop("ask_doc")
    st.switch_page("streamlit_app.py")
with st.sidebar:
    st.page_link("streamlit_app.py", label="Trò chuyện", icon=":material/forum:")
    st.page_link("pages/1_Van_ban.py", label="Văn bản", icon=":material/description:")
    st.page_link("pages/2_Tap_huan.py", label="Tập huấn", icon=":material/school:")
    st.page_link("pages/3_Them_van_ban.py", label="Thêm văn bản", icon=":material/upload_file:")
st.title("Thêm văn bản")
show_done()
add, swap, drop = st.tabs(["Thêm văn bản", "Thay văn bản", "Gỡ văn bản"])
with add:
    add_tab(app)
with swap:
    replace_tab(app)
with drop:
    remove_tab(app)
