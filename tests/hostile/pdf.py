"""A minimal PDF whose pages share one Flate-compressed content stream, for
tests of files that decompress hugely or take long to read."""

import io
import zlib

FONT = b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"


def deflate_repeated(block, times):
    """zlib data for `block` repeated `times`, made without holding it all."""
    compressor = zlib.compressobj(9)
    return b"".join(compressor.compress(block) for _ in range(times)) + (
        compressor.flush()
    )


def pdf_with_stream(content=b"", pages=1, packed=None):
    """`content` is the page content stream; or pass it already `packed`."""
    packed = packed if packed is not None else zlib.compress(content, 9)
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages)).encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[" + kids + b"]/Count %d>>" % pages,
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(packed)
        + packed
        + b"\nendstream",
    ]
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 3 0 R" + FONT
    objects += [page + b">>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()
