"""Ten documents of different kinds, cited as the style manuals say, through the citation API.

The expected entries were written from the manuals' rules, not copied from output:
Chicago 17th (notes and bibliography: 14.105–14.106 and 14.305 for documents in published
collections, 14.221–14.233 for manuscripts, 14.76 for four or more editors), MLA 9 (the
container template; a work in a multivolume edition; a document in a database as a second
container) and APA 7 (10.3 chapters in edited books, 9.41 republished works, 9.39 translated
works, 9.15 no author). Where the styles and the issue agree on a choice the manuals leave
open, the issue's example decides: an edition document's Chicago note gives no URL (the
printed volume is cited; an online volume is cited by its publisher as history.state.gov
cites it) unless the volume names no publisher to find it by;
titles keep their own capitalisation ("between", not "Between"). An uncertain date follows a
title in brackets after a space, not a comma ("“Letter…” [March 1965?]"), as the official
Chicago style reads CMOS for bracketed dates; an archival document read here names this
site as the database before the URL (CMOS 17 14.175). APA 7 dates archival documents to the day
("(1958, July 31)"); a translator's name is written as given (names are not split).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from declassified.archive.models import Person
from tests.factories import (
    make_collection,
    make_document,
    make_person,
    make_place,
    make_repository,
    make_text,
)

TELEGRAM = ("Telegram From the Commander in Chief, Pacific (Sharp) to the Chairman of the Joint "
            "Chiefs of Staff (Wheeler)")
FRUS_URL = "https://history.state.gov/historicaldocuments/"


def frus_china():
    return make_collection(
        "Foreign Relations of the United States, 1964–1968, Volume XXX, China", is_edition=True,
        series_title="Foreign Relations of the United States, 1964–1968", volume_number="XXX",
        volume_title="China", edition_editors="Harriet Dashiell Schwar",
        publisher="Government Printing Office", publisher_place="Washington, DC",
        published_year="1998", medium="print", source_url=FRUS_URL + "frus1964-68v30")


def frus_microfiche():
    return make_collection(
        "Foreign Relations of the United States, 1961–1963, Volumes VII/VIII/IX, Microfiche "
        "Supplement", is_edition=True,
        series_title="Foreign Relations of the United States, 1961–1963",
        volume_number="VII/VIII/IX",
        volume_title="Arms Control; National Security; Foreign Economic Policy, Microfiche "
                     "Supplement",
        edition_editors="Evans Gerakas\nDavid W. Mabon\nDavid S. Patterson\n"
                        "William F. Sanford, Jr.\nCarolyn B. Yee",
        publisher="Government Printing Office", publisher_place="Washington, DC",
        published_year="1997", medium="microfiche",
        source_url=FRUS_URL + "frus1961-63v07-09mSupp")


def frus_e13():
    return make_collection(
        "Foreign Relations of the United States, 1969–1976, Volume E–13, Documents on China, "
        "1969–1972", is_edition=True,
        series_title="Foreign Relations of the United States, 1969–1976", volume_number="E–13",
        volume_title="Documents on China, 1969–1972", edition_editors="Steven E. Phillips",
        publisher="Office of the Historian, U.S. Department of State",
        publisher_place="Washington, DC", published_year="2006", medium="online",
        source_url=FRUS_URL + "frus1969-76ve13")


def wilson_archive():
    return make_repository("Archive of the Ministry of Foreign Affairs of the PRC",
                           location="Beijing")


def regular_volume():
    return make_document(
        title=TELEGRAM, date="1965-09-15", number="100", place_of_origin=make_place("Honolulu"),
        call_number="Central Files, DEF 1 CHINAT-US", classification="Top Secret",
        source_citation="Department of State, Central Files, DEF 1 CHINAT-US. Top Secret; "
                        "Exdis; Specat; Exclusive.",
        document_type="Telegram", source_url=FRUS_URL + "frus1964-68v30/d100",
        collections=[frus_china()])


def microfiche_supplement():
    return make_document(
        title="Memorandum From the Director of the Arms Control and Disarmament Agency "
              "(Foster) to President Kennedy", date="1962-03-06", number="212",
        place_of_origin=make_place("Washington"), collections=[frus_microfiche()],
        source_url=FRUS_URL + "frus1961-63v07-09mSupp/d212")


def e_volume():
    return make_document(
        title="Memorandum of Conversation", date="1971-07-09", number="9",
        place_of_origin=make_place("Beijing"), collections=[frus_e13()],
        source_url=FRUS_URL + "frus1969-76ve13/d9")


def translated_conversation():
    document = make_document(
        title="Record of Conversation between Mao Zedong and Nikita Khrushchev",
        date="1958-07-31", document_type="Record of Conversation",
        repository=wilson_archive(), call_number="PRC FMA 109-00812-01",
        collections=[make_collection("Sino-Soviet Relations")])
    make_text(document, kind="translation", translator="Neil Silver")
    return document


def undated():
    return make_document(title="Note on the Border Talks", date="",
                         repository=make_repository("Russian State Archive of Contemporary "
                                                    "History", location="Moscow"))


def corporate_author():
    return make_document(
        title="Resolution on the Chinese Question", date="1964-02-15",
        authors=[make_person("Central Committee of the Communist Party of the Soviet Union",
                             kind=Person.ORGANIZATION)],
        repository=make_repository("Russian State Archive of Contemporary History",
                                   location="Moscow"), call_number="f. 2, op. 1, d. 720")


def circa_year():
    return make_document(title="Plan for the Reorganisation of the Ministry", date="1965~",
                         repository=wilson_archive())


def uncertain_month():
    return make_document(title="Letter to the Embassy in Hanoi", date="1965-03?",
                         repository=wilson_archive())


def date_range():
    return make_document(title="Notes of the Warsaw Talks", date="1964-01-15/1964-03-02",
                         repository=wilson_archive())


def lower_case_word():
    return make_document(title="Minutes of talks between the Soviet and Chinese delegations",
                         date="1963-07-10", repository=wilson_archive(),
                         call_number="PRC FMA 109-03794-01")


MFA = "Archive of the Ministry of Foreign Affairs of the PRC, Beijing"
RGANI = "Russian State Archive of Contemporary History, Moscow"
FORM = "Memorandum From the Director of the Arms Control and Disarmament Agency (Foster) to " \
       "President Kennedy"
MAO = "Record of Conversation between Mao Zedong and Nikita Khrushchev"
MINUTES = "Minutes of talks between the Soviet and Chinese delegations"
CC = "Central Committee of the Communist Party of the Soviet Union"
FICHE = "Arms Control; National Security; Foreign Economic Policy, Microfiche Supplement"
HISTORIAN = "Office of the Historian, U.S. Department of State"

# kind → (maker, {"note": Chicago note, "chicago": bibliography, "mla": …, "apa": …});
# {url} is the document's page here, {accessed} today as the style writes it.
TABLE = {
    "regular_volume": (regular_volume, {
        "note": f"{TELEGRAM}, Honolulu, September 15, 1965, in Foreign Relations of the United "
                "States, 1964–1968, vol. 30, China, ed. Harriet Dashiell Schwar (Washington, "
                "DC: Government Printing Office, 1998), doc. 100.",
        "chicago": f"{TELEGRAM}, Honolulu, September 15, 1965. In Foreign Relations of the "
                   "United States, 1964–1968, vol. 30, China, edited by Harriet Dashiell "
                   "Schwar, doc. 100. Washington, DC: Government Printing Office, 1998.",
        "mla": f"“{TELEGRAM}.” 15 Sept. 1965. Foreign Relations of the United States, 1964–1968,"
               " edited by Harriet Dashiell Schwar, vol. 30, China, Government Printing Office,"
               f" 1998, doc. 100, {FRUS_URL}frus1964-68v30/d100.",
        "apa": f"{TELEGRAM}. (1998). In H. D. Schwar (Ed.), Foreign Relations of the United "
               "States, 1964–1968: Vol. 30. China (Doc. 100). Government Printing Office. "
               f"{FRUS_URL}frus1964-68v30/d100 (Original work published 1965)",
    }),
    "microfiche_supplement": (microfiche_supplement, {
        "note": f"{FORM}, Washington, March 6, 1962, in Foreign Relations of the United States, "
                f"1961–1963, vols. 7–9, {FICHE}, ed. Evans Gerakas et al. (Washington, DC: "
                "Government Printing Office, 1997), doc. 212.",
        "chicago": f"{FORM}, Washington, March 6, 1962. In Foreign Relations of the United "
                   f"States, 1961–1963, vols. 7–9, {FICHE}, edited by Evans Gerakas, David W. "
                   "Mabon, David S. Patterson, William F. Sanford Jr., and Carolyn B. Yee, "
                   "doc. 212. Washington, DC: Government Printing Office, 1997.",
        "mla": f"“{FORM}.” 6 Mar. 1962. Foreign Relations of the United States, 1961–1963, "
               f"edited by Evans Gerakas et al., vols. 7–9, {FICHE}, Government Printing "
               f"Office, 1997, doc. 212, {FRUS_URL}frus1961-63v07-09mSupp/d212.",
        "apa": f"{FORM}. (1997). In E. Gerakas, D. W. Mabon, D. S. Patterson, W. F. Sanford "
               "Jr., & C. B. Yee (Eds.), Foreign Relations of the United States, 1961–1963: "
               f"Vols. 7–9. {FICHE} (Doc. 212). Government Printing Office. "
               f"{FRUS_URL}frus1961-63v07-09mSupp/d212 (Original work published 1962)",
    }),
    "e_volume": (e_volume, {
        "note": "Memorandum of Conversation, Beijing, July 9, 1971, in Foreign Relations of the "
                "United States, 1969–1976, vol. E–13, Documents on China, 1969–1972, ed. Steven "
                f"E. Phillips (Washington, DC: {HISTORIAN}, 2006), doc. 9.",
        "chicago": "Memorandum of Conversation, Beijing, July 9, 1971. In Foreign Relations of "
                   "the United States, 1969–1976, vol. E–13, Documents on China, 1969–1972, "
                   f"edited by Steven E. Phillips, doc. 9. Washington, DC: {HISTORIAN}, 2006.",
        "mla": "“Memorandum of Conversation.” 9 July 1971. Foreign Relations of the United "
               "States, 1969–1976, edited by Steven E. Phillips, vol. E–13, Documents on China, "
               f"1969–1972, {HISTORIAN}, 2006, doc. 9, {FRUS_URL}frus1969-76ve13/d9.",
        "apa": "Memorandum of Conversation. (2006). In S. E. Phillips (Ed.), Foreign Relations "
               "of the United States, 1969–1976: Vol. E–13. Documents on China, 1969–1972 (Doc. "
               f"9). {HISTORIAN}. {FRUS_URL}frus1969-76ve13/d9 (Original work published 1971)",
    }),
    "translated_conversation": (translated_conversation, {
        "note": f"“{MAO},” trans. Neil Silver, July 31, 1958, PRC FMA 109-00812-01, {MFA}, "
                "Declassified, {url}.",
        "chicago": f"“{MAO}.” Translated by Neil Silver. July 31, 1958. PRC FMA 109-00812-01. "
                   f"{MFA}. Declassified, {{url}}.",
        "mla": f"“{MAO}.” Translated by Neil Silver, 31 July 1958, {MFA}, PRC FMA 109-00812-01. "
               "Declassified, {url}.",
        "apa": f"{MAO} (Neil Silver, Trans.). (1958, July 31). Archive of the Ministry of "
               "Foreign Affairs of the PRC (PRC FMA 109-00812-01), Beijing. {url}",
    }),
    "undated": (undated, {
        "note": f"“Note on the Border Talks,” n.d., {RGANI}, accessed {{accessed}}, "
                "Declassified, {url}.",
        "chicago": f"“Note on the Border Talks.” n.d. {RGANI}. Accessed {{accessed}}. "
                   "Declassified, {url}.",
        "mla": f"“Note on the Border Talks.” {RGANI}. Declassified, {{url}}. Accessed "
               "{accessed_mla}.",
        "apa": f"Note on the Border Talks. (n.d.). {RGANI}. Retrieved {{accessed}}, from {{url}}",
    }),
    "corporate_author": (corporate_author, {
        "note": f"{CC}, “Resolution on the Chinese Question,” February 15, 1964, f. 2, op. 1, d."
                f" 720, {RGANI}, Declassified, {{url}}.",
        "chicago": f"{CC}. “Resolution on the Chinese Question.” February 15, 1964. F. 2, op. 1,"
                   f" d. 720. {RGANI}. Declassified, {{url}}.",
        "mla": f"{CC}. “Resolution on the Chinese Question.” 15 Feb. 1964, {RGANI}, f. 2, op. 1,"
               " d. 720. Declassified, {url}.",
        "apa": f"{CC}. (1964, February 15). Resolution on the Chinese Question. Russian State "
               "Archive of Contemporary History (f. 2, op. 1, d. 720), Moscow. {url}",
    }),
    "circa_year": (circa_year, {
        "note": f"“Plan for the Reorganisation of the Ministry” [1965?], {MFA}, "
                "Declassified, {url}.",
        "chicago": f"“Plan for the Reorganisation of the Ministry.” [1965?]. {MFA}. "
                   "Declassified, {url}.",
        "mla": f"“Plan for the Reorganisation of the Ministry.” Circa 1965, {MFA}. Declassified,"
               " {url}.",
        "apa": f"Plan for the Reorganisation of the Ministry. (ca. 1965). {MFA}. {{url}}",
    }),
    "uncertain_month": (uncertain_month, {
        "note": f"“Letter to the Embassy in Hanoi” [March 1965?], {MFA}, Declassified, "
                "{url}.",
        "chicago": f"“Letter to the Embassy in Hanoi.” [March 1965?]. {MFA}. Declassified, "
                   "{url}.",
        "mla": f"“Letter to the Embassy in Hanoi.” Circa Mar. 1965, {MFA}. Declassified, "
               "{url}.",
        "apa": f"Letter to the Embassy in Hanoi. (ca. 1965, March). {MFA}. {{url}}",
    }),
    "date_range": (date_range, {
        "note": f"“Notes of the Warsaw Talks,” January 15–March 2, 1964, {MFA}, Declassified, "
                "{url}.",
        "chicago": f"“Notes of the Warsaw Talks.” January 15–March 2, 1964. {MFA}. "
                   "Declassified, {url}.",
        "mla": f"“Notes of the Warsaw Talks.” 15 Jan.–2 Mar. 1964, {MFA}. Declassified, {{url}}.",
        "apa": f"Notes of the Warsaw Talks. (1964, January 15–March 2). {MFA}. {{url}}",
    }),
    "lower_case_word": (lower_case_word, {
        "note": f"“{MINUTES},” July 10, 1963, PRC FMA 109-03794-01, {MFA}, Declassified, "
                "{url}.",
        "chicago": f"“{MINUTES}.” July 10, 1963. PRC FMA 109-03794-01. {MFA}. Declassified, "
                   "{url}.",
        "mla": f"“{MINUTES}.” 10 July 1963, {MFA}, PRC FMA 109-03794-01. Declassified, {{url}}.",
        "apa": f"{MINUTES}. (1963, July 10). Archive of the Ministry of Foreign Affairs of the "
               "PRC (PRC FMA 109-03794-01), Beijing. {url}",
    }),
}


def citation(client, document, style: str) -> dict:
    response = client.get(f"/api/v1/documents/{document.pk}/citation", {"style": style})
    assert response.status_code == 200, response.content
    return response.json()


def rendered(client, document, form: str) -> str:
    answer = citation(client, document, "chicago" if form == "note" else form)
    return answer["note"]["text"] if form == "note" else answer["text"]


MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec."]


def filled(expected: str, document) -> str:
    today = timezone.localdate()
    return expected.format(url=f"http://testserver{document.get_absolute_url()}",
                           accessed=f"{today:%B} {today.day}, {today.year}",
                           accessed_mla=f"{today.day} {MLA_MONTHS[today.month - 1]} {today.year}")


CASES = [(kind, form) for kind, (_maker, forms) in TABLE.items() for form in forms]


@pytest.mark.parametrize(("kind", "form"), CASES)
def test_a_document_is_cited_as_the_manual_says(client, db, kind, form):
    maker, forms = TABLE[kind]
    document = maker()

    assert rendered(client, document, form) == filled(forms[form], document)


def test_the_table_holds_ten_kinds_each_in_all_three_styles(client, db):
    assert len(TABLE) == 10
    assert all(set(forms) == {"note", "chicago", "mla", "apa"} for _maker, forms in TABLE.values())


def test_an_edition_note_is_italicised_and_names_no_site_or_marking(client, db):
    document = regular_volume()

    note = citation(client, document, "chicago")["note"]["html"]

    assert "<i>Foreign Relations of the United States, 1964–1968</i>" in note
    assert "<i>China</i>" in note
    assert "Declassified" not in note and "Top Secret" not in note and "Exdis" not in note


def test_a_document_of_an_edition_outside_any_series_is_cited_in_its_volume(client, db):
    volume = make_collection("Soviet Documents on Korea", is_edition=True,
                             volume_title="Soviet Documents on Korea",
                             edition_editors="Kathryn Weathersby", publisher="Oxford University "
                             "Press", publisher_place="Oxford", published_year="2001")
    document = make_document(title="Letter from Stalin to Mao", date="1950-05-14",
                             place_of_origin=make_place("Moscow"), collections=[volume])

    note = rendered(client, document, "note")
    mla = rendered(client, document, "mla")

    assert note == ("Letter from Stalin to Mao, Moscow, May 14, 1950, in Soviet Documents on "
                    "Korea, ed. Kathryn Weathersby (Oxford: Oxford University Press, 2001).")
    assert mla.startswith("“Letter from Stalin to Mao.” 14 May 1950. Soviet Documents on Korea, "
                          "edited by Kathryn Weathersby, Oxford University Press, 2001, ")
