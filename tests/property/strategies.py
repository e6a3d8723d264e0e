"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

NIS2_POINTS = [f"21.2.{c}" for c in "abcdefghij"]

# Things people type: canonical ids, bare numbers, Annex A forms, NIS2 article forms,
# scheme words, plus noise.
id_like = st.one_of(
    st.sampled_from(
        [
            "21(2)(d)",
            "Art. 21(2)(d)",
            "NIS2 21.2.d",
            "nis2:21.2.d",
            "A.5.19",
            "5.19",
            "ISO 27002 5.19",
            "iso27002:5.19",
            "5.19.1",
            "bio2:5.19.01",
            "1.1.1(a)",
            "9.2(c)(iv)",
            "4.3.2-p2",
            "6.1.2",
            "clause 9.3",
            "Cbw art. 25",
            "2024/2690 5.1.4",
        ]
    ),
    st.builds(
        lambda a, b, c: f"{a}.{b}.{c}",
        st.integers(0, 30),
        st.integers(0, 120),
        st.integers(0, 120),
    ),
    st.builds(lambda a, b: f"{a}({b})", st.integers(0, 50), st.sampled_from("abcdefghijklmnopq")),
    st.builds(
        lambda p, body: p + body,
        st.sampled_from(
            ["", "A.", "Art. ", "NIS2 ", "ISO 27001 ", "BIO2 ", "ir2690:", "iso27002:"]
        ),
        st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}(\([a-z]{1,4}\)){0,2}", fullmatch=True),
    ),
    st.text(max_size=40),
)
