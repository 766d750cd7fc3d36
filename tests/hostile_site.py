"""A hostile web site on loopback: every pathology a news crawler meets, one route each.

`HostileSite` serves, from a `ThreadingHTTPServer` with daemon handler threads, a small
home page linking to one route per hostile case: bodies over the size limits and
decompression bombs, redirect loops, long chains and redirects to refused addresses and
other schemes, a response that never comes and one that trickles a byte a second, crawler
traps (calendar, growing query strings, session ids in paths, repeated path segments, an
overlong URL), PDF, image and video downloads, wrong and missing charsets, malformed,
deeply nested, empty and script-only HTML, a 404 and a 500. A few real articles (some of
them in the wrong charset) must still be stored. `requests()` says what each request got:
path, status, body bytes actually sent, whether the client hung up early, and when.

The cases of bounded work per response are served too, but not linked from the home page:
their crawls seed them with the project's own size limits (the main crawl's 1 MiB
DOWNLOAD_MAXSIZE would cut them short). /sitemap.xml, which every crawl of a site by its
URL fetches, is a gzip bomb (49 KB unpacking to 50 MB of XML); /headers/flood sends 315 MB
of response headers and /headers/many 600 short header lines; /bounded/links is a 4.4 MB
page with 100,000 links; BIG_ARTICLE a 10 MB article page (inline data around a normal
article) and /bounded/long-read 10 MB of paragraphs.

`RefusedListener` stands for the addresses a crawler must never reach: it accepts and
records every connection on one port of several loopback addresses (127.0.0.9, 127.0.0.1
and ::1), and the site redirects there in as many spellings as it can.

Everything is built from the standard library; brotli and zstd (which Scrapy itself
requires) are imported only for those two bombs.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import html
import json
import select
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlencode, urlsplit

MIB = 1024 * 1024
# The limits the hostile crawl runs with (-s DOWNLOAD_MAXSIZE / DOWNLOAD_WARNSIZE).
MAX_SIZE = 1 * MIB
WARN_SIZE = 512 * 1024
# Over DOWNLOAD_MAXSIZE: never read to the end.
HUGE_BODY = 3 * MIB
# Decompressed size of every bomb: tens of MB from a few KB on the wire.
BOMB_SIZE = 40 * MIB
# Non-HTML bodies: big enough that reading them would show in the byte counts.
PDF_SIZE = 5 * MIB
IMAGE_SIZE = 3 * MIB
VIDEO_SIZE = 20 * MIB
# Larger bodies go out in paced chunks through a small send buffer, so that a client that
# hangs up after the headers is seen long before the whole body could have been buffered.
_CHUNK = 64 * 1024
_PACE_SECONDS = 0.002
_SMALL_SNDBUF = 64 * 1024
# The trickling response: this many body bytes announced, one sent per second.
TRICKLE_LENGTH = 120
# Redirect chain: longer than any REDIRECT_MAX_TIMES a crawl would use (Scrapy's default is 20).
CHAIN_LENGTH = 30
# Growing query strings start with this many parameters and gain one per page.
GROW_START = 4
# An overlong link: well past URLLENGTH_LIMIT (2083).
LONG_URL_CHARS = 5200
# Deeply nested HTML.
NESTING = 20_000
# Distinct pages behind /many/, for the per-host page cap.
MANY_PAGES = 200
CALENDAR_START = "2026-11-20"
# Bounded work per response, the sizes the adversarial review used (issue 9): a sitemap of
# 50 MB of XML in 51 KB of gzip, 315 MB of response headers, a 4.4 MB page of 100,000
# links; and a 10 MB article page.
SITEMAP_BOMB_SIZE = 50 * 1000 * 1000
HEADER_FLOOD_BYTES = 315 * 1000 * 1000
# 200 bytes a line: the block outgrows 64 KiB before it reaches 500 lines
HEADER_FLOOD_LINE = b"X-Flood: " + b"f" * 189 + b"\r\n"
MANY_HEADER_LINES = 600
LINK_FLOOD_LINKS = 100_000
BIG_ARTICLE_SIZE = 10 * 1000 * 1000

HTML_UTF8 = "text/html; charset=utf-8"


# --- articles ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticleCase:
    """A real article page, served in a given encoding with a given charset declaration."""

    path: str
    title: str
    lang: str
    paragraphs: tuple[str, ...]
    # A phrase with accented (or Cyrillic) letters that only a right decoding reproduces.
    phrase: str
    encoding: str = "utf-8"
    # charset= parameter of the Content-Type header (None: none) and <meta charset> (None: none)
    header_charset: str | None = "utf-8"
    meta_charset: str | None = "utf-8"
    author: str = "Ana Ruiz"
    published: str = "2026-11-20T08:00:00+00:00"
    # Extra HTML inside <body> after the article (padding, junk).
    after: str = ""
    # Raw bytes spliced in after the article (garbage that is no text in any encoding).
    garbage: bytes = b""
    malformed: bool = False

    @property
    def text(self) -> str:
        """The body text a correct extraction stores: paragraphs, blank line between."""
        return "\n\n".join(self.paragraphs)

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.header_charset}" if self.header_charset else "text/html"

    def render(self) -> bytes:
        meta = f'<meta charset="{self.meta_charset}">\n' if self.meta_charset else ""
        ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": self.title,
                "datePublished": self.published,
                "author": {"@type": "Person", "name": self.author},
            },
            ensure_ascii=False,
        )
        if self.malformed:
            # Unclosed <p>, <div> and <section>, stray closing tags, misnested inline tags:
            # what a browser repairs without a word.
            body = "\n".join(f"<p>{html.escape(p)}" for p in self.paragraphs)
            article = (
                '<div class="story"><section><article><h1>'
                f"{html.escape(self.title)}</h1></span></b>\n"
                f'<p class="byline">By <b><i>{html.escape(self.author)}</b></i>\n'
                f'<time datetime="{self.published}">{self.published[:10]}</time>\n'
                f"{body}\n</article></td></tr>"
            )
        else:
            body = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
            article = (
                f"<article><h1>{html.escape(self.title)}</h1>\n"
                f'<p class="byline">By {html.escape(self.author)}</p>\n'
                f'<time datetime="{self.published}">{self.published[:10]}</time>\n'
                f"{body}\n</article>"
            )
        head = (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n{meta}'
            f"<title>{html.escape(self.title)} | The Hostile Herald</title>\n"
            '<meta property="og:type" content="article">\n'
            f'<script type="application/ld+json">{ld}</script>\n</head>\n<body>\n'
            '<header><nav><a href="/">Home</a></nav></header>\n<main>\n'
        )
        tail = (
            f"\n{self.after}</main>\n<footer><p>The Hostile Herald</p></footer>\n</body></html>\n"
        )
        return (head + article).encode(self.encoding) + self.garbage + tail.encode(self.encoding)


_ENGLISH_BRIDGE = (
    "The harbour bridge reopened on Thursday morning after eleven months of repairs, and the first commuters crossed it before dawn, many of them on bicycles that had spent the year on a ferry deck. Engineers replaced the steel cables on the northern span and rebuilt the expansion joints that had cracked during last winter's storms.",
    "City officials said the work came in four weeks late but close to the budget approved by the council in January. The final bill, which still has to be audited, stands at 48 million, most of it spent on steel and on the night shifts that kept the crossing partly open for emergency vehicles throughout the repairs.",
    "Shop owners on both ends of the bridge welcomed the reopening. The owner of a bakery near the southern ramp said her sales had fallen by a third since the closure, because the detour through the industrial estate added twenty minutes to every trip and most of her morning customers simply stopped coming.",
    "The transport authority plans to keep the temporary ferry service running until the end of the month, when it will review passenger numbers. A spokesman said the ferry had carried more than two million passengers during the closure, far more than expected, and that a permanent service was now being considered.",
    "Cyclists' groups asked the city to keep the protected lane that was painted on the bridge during the repairs. The council will vote on the proposal next week; a majority of members have already said they support it, provided the lane does not slow down the buses that cross the bridge every four minutes at peak hours.",
)
_ENGLISH_LIBRARY = (
    "The central library will stay open until midnight on weekdays from January, the city announced on Friday, after a two-year campaign by students who said they had nowhere quiet to work in the evenings. The longer hours will be paid for by closing two small branch offices that are used by fewer than forty people a day.",
    "Librarians welcomed the decision but warned that the building needs more staff before the change. The union said eight new posts would be required to keep the reading rooms safe at night, while the city budget only provides for five, and it asked the council to find the money for the remaining three by the spring.",
    "Students who led the campaign collected more than twelve thousand signatures and organised study evenings on the library steps every Thursday, even in the rain. One of the organisers said the result showed that patient pressure works, and that the group would now turn its attention to the opening hours of the public swimming pools.",
    "The two branch offices that will close are in buildings the city no longer wants to maintain. Their book collections will move to the central library, and a mobile library bus will visit both neighbourhoods twice a week, stopping outside the primary schools in the afternoon so that parents and children can borrow books.",
    "The new hours start on the second Monday of January. The library will also open a small café on the ground floor, run by a cooperative that already manages the cafeteria of the university, and the reading rooms will get new lamps and power sockets at every desk before the longer evenings begin next year.",
)
_FRENCH_CP1252 = (
    "Le café de la Grève a rouvert à Noël, après une crue décrite comme « exceptionnelle » par les pompiers. Les propriétaires ont dû remplacer le comptoir, les chaises et une partie du plancher, que l'eau avait envahi sur près d'un mètre pendant la nuit du 14 au 15 novembre, au cœur du vieux quartier.",
    "La réouverture a coûté près de 40 000 €, dont une partie seulement sera remboursée par l'assurance. Les habitués ont organisé une cagnotte qui a déjà réuni plus de 6 000 €, et un ébéniste du quartier a offert de restaurer gratuitement le vieux bar en chêne, œuvre de son grand-père.",
    "Dans les rues voisines, d'autres commerçants n'ont pas encore pu rouvrir. La boulangerie de la place du Marché attend toujours un nouveau four, et la librairie a perdu la quasi-totalité de son stock. La mairie promet une aide d'urgence, mais les dossiers avancent lentement, regrettent les commerçants.",
    "Les services de l'État ont annoncé une étude sur les digues du fleuve, dont certaines datent du XIXe siècle. Les premiers résultats sont attendus au printemps ; en attendant, des sacs de sable restent entreposés devant les portes des immeubles les plus exposés, au cas où une nouvelle crue surviendrait cet hiver.",
)
_GERMAN_UTF8 = (
    "Das Gletschermuseum in Grünwald öffnet am Märzende; der Eintritt für Schüler kostet 5 €. Nach vier Jahren Bauzeit zeigt das Haus auf drei Stockwerken, wie die Gletscher der Region seit dem 19. Jahrhundert geschrumpft sind, und lädt Besucher ein, durch einen künstlichen Eistunnel zu gehen.",
    "Die Baukosten stiegen von geplanten zwölf auf knapp achtzehn Millionen Euro, vor allem wegen der aufwendigen Kühlung des Tunnels. Der Gemeinderat stimmte der Erhöhung im Herbst mit knapper Mehrheit zu, nachdem die Museumsleitung zusätzliche Spenden von Unternehmen aus dem Tal vorgelegt hatte.",
    "Herzstück der Ausstellung sind Fotografien, die ein Bergführer über fünfzig Jahre lang vom selben Standpunkt aus aufgenommen hat. Sie zeigen, wie sich die Gletscherzunge Jahr für Jahr zurückzieht; daneben messen Sensoren die Temperatur im Eis und übertragen die Werte auf große Bildschirme.",
    "Die Museumsleitung rechnet mit rund achtzigtausend Besuchern im ersten Jahr. Schulklassen erhalten Führungen zum halben Preis, und an jedem ersten Sonntag im Monat ist der Eintritt für alle frei. Geöffnet ist das Haus täglich außer montags von neun bis achtzehn Uhr, im Sommer bis zwanzig Uhr.",
)
_RUSSIAN_CP1251 = (
    "Новая линия московского метро откроется в декабре, сообщили в городском департаменте транспорта. Линия длиной двадцать два километра соединит северные районы с центром города, и поездка от конечной станции до Красной площади займёт около двадцати пяти минут вместо часа на автобусе.",
    "Строительство началось пять лет назад и несколько раз откладывалось из-за сложных грунтов под рекой. Инженеры применили заморозку почвы, чтобы пройти самый трудный участок, и работы шли круглосуточно. Стоимость проекта превысила первоначальную смету почти на треть, признали в департаменте.",
    "На линии будет одиннадцать станций, каждая из которых оформлена в своём стиле. Архитекторы использовали гранит, мрамор и стекло, а на одной из станций установлены мозаики, посвящённые истории северных районов. Все станции оборудованы лифтами для пассажиров с детскими колясками и инвалидов.",
    "Жители северных районов давно ждали открытия линии. По словам представителей департамента, в первый год ею будут пользоваться около трёхсот тысяч человек в день, а нагрузка на соседние линии и на автобусные маршруты заметно снизится. Первые поезда пойдут в пять тридцать утра.",
)
_PORTUGUESE_UTF8 = (
    "O elétrico voltou às ruas de Lisboa após três anos; a população celebrou com entusiasmo a reabertura da linha que liga a Baixa ao bairro da Graça. Os carris foram substituídos em toda a extensão do percurso e as paragens ganharam abrigos novos, com bancos e painéis que indicam o tempo de espera.",
    "A câmara municipal gastou cerca de nove milhões de euros na obra, financiada em parte por fundos europeus. Os comerciantes da Rua da Conceição, que viram as vendas cair durante as obras, esperam agora recuperar os clientes, sobretudo os turistas que sobem a colina para ver a vista sobre o rio.",
    "Os veículos históricos, alguns com mais de oitenta anos, foram restaurados nas oficinas da companhia. Os mecânicos trocaram os motores e os travões, mas mantiveram os bancos de madeira e as janelas de correr, que fazem parte do encanto da viagem, explicou o responsável pela manutenção da frota.",
    "Nos primeiros dias, as filas nas paragens foram longas e muitos moradores queixaram-se de não conseguir entrar. A companhia promete reforçar a frequência nas horas de ponta a partir do próximo mês, com um elétrico a cada seis minutos, e estuda um bilhete especial para os residentes do bairro.",
)
_SPANISH_CP1252 = (
    "La cosecha de naranjas en Sevilla alcanzó su máximo; «año excepcional», según la asociación de agricultores de la provincia. Los naranjos de las calles, que el ayuntamiento recoge cada invierno, dieron este año más de seis millones de kilos de fruta amarga, destinada casi por completo a la mermelada británica.",
    "Los recolectores trabajaron desde el amanecer durante tres semanas, con camiones que esperaban en las plazas del centro. El ayuntamiento vende la fruta a una empresa que la exporta a Inglaterra, y con los ingresos financia el cuidado de los árboles y la limpieza de las aceras, manchadas cada enero por las naranjas caídas.",
    "Este año, por primera vez, una parte de la cosecha se convertirá en electricidad. Una planta depuradora del norte de la ciudad fermenta el zumo para obtener biogás, y los técnicos calculan que podrán abastecer a unos doscientos hogares durante un año con la energía obtenida de las naranjas que nadie quiere comer.",
    "Los vecinos celebran el aroma de azahar que llena la ciudad en primavera, pero se quejan de las naranjas que caen sobre los coches y las terrazas. La asociación pide al ayuntamiento que adelante la recogida en los barrios más afectados y que plante otras especies en las calles más estrechas del casco antiguo.",
)
_GERMAN_META_LATIN1 = (
    "Zürich feiert das Seefest: Über 200 000 Besucher genossen Würstchen, Gebäck und Feuerwerk am Ufer. Drei Tage lang verwandelte sich die Promenade zwischen Bellevue und Zürichhorn in eine Festmeile mit Bühnen, Karussells und Ständen, an denen Vereine aus allen Stadtkreisen ihre Spezialitäten anboten.",
    "Die Polizei zog eine positive Bilanz. Es habe nur wenige Zwischenfälle gegeben, vor allem kleinere Diebstähle und einige Streitigkeiten um Sitzplätze am Wasser. Die Sanitäter behandelten an allen drei Tagen zusammen rund hundertzwanzig Personen, die meisten wegen Insektenstichen, Hitze oder kleiner Schnittwunden.",
    "Für Diskussionen sorgte der Abfall. Trotz zusätzlicher Container türmten sich am Sonntagmorgen Flaschen und Verpackungen an der Promenade, und die Stadtreinigung brauchte bis zum Mittag, um die Ufer zu säubern. Der Stadtrat will beim nächsten Fest ein Pfandsystem für Becher und Geschirr einführen.",
    "Das nächste Seefest findet in drei Jahren statt. Die Organisatoren wollen bis dahin das Programm für Familien ausbauen und mehr Bühnen für junge Musikerinnen und Musiker aus der Region schaffen. Die Finanzierung sei gesichert, teilte der Verein mit, der das Fest seit über fünfzig Jahren organisiert.",
)
_ENGLISH_STORM = (
    "Storm damage along the coast road is worse than first thought, the regional roads agency said on Monday, after engineers inspected the cliffs below the lighthouse. Two sections of the road will stay closed until the spring, and a third will open to cars only, with lorries sent on a long detour through the hills.",
    "The storm brought gusts of more than one hundred and forty kilometres an hour and waves that washed over the sea wall for six hours. Fishermen moved their boats into the inner harbour a day early, on the advice of the coastguard, and no boat was lost, although several pontoons were torn from their moorings.",
    "Farmers inland counted fallen trees and broken fences. The agricultural cooperative said that about a tenth of the apple orchards in the valley had lost trees, and that the damage to greenhouses would take months to repair, because replacement glass is scarce and the few glaziers in the region are booked until summer.",
    "The regional government has opened an emergency fund for households and small businesses. Applications can be made at the town halls from Wednesday; officials promised that the first payments would arrive before Christmas, and that a simplified form would be available for claims of less than five thousand euros.",
)
_ENGLISH_LONG_READ = (
    "The observatory on the ridge has measured the sky above the valley every night for sixty years, and its archive of glass plates is now being scanned so that astronomers anywhere can study it. The project will take three years; volunteers from the astronomy club handle the fragile plates, one at a time.",
    "Each plate records a patch of sky on a single night, and comparing plates from different decades reveals stars that brighten and fade, asteroids that crossed the field, and the slow motion of nearby stars. Researchers at the university have already found two variable stars that no catalogue lists.",
    "The scans go into a public archive with the notes the observers wrote in the margins: the weather, the temperature, and sometimes a complaint about a noisy neighbour or a broken heater. The archivist said those notes were as valuable as the images, because they tell the story of the people behind the data.",
    "Funding for the scanning comes from a foundation and from the regional government. When the work is done, the plates will move to a climate-controlled room in the university library, where they will be kept for researchers who need to examine the original glass rather than the digital copy.",
)

GOOD_ARTICLES = (
    ArticleCase(
        "/news/2026/11/20/harbour-bridge-reopens",
        "Harbour bridge reopens after eleven months",
        "en",
        _ENGLISH_BRIDGE,
        "first commuters crossed it before dawn",
    ),
    ArticleCase(
        "/news/2026/11/20/library-opens-until-midnight",
        "Central library to open until midnight",
        "en",
        _ENGLISH_LIBRARY,
        "a small café on the ground floor",
        author="Tom Weller",
    ),
)
CHARSET_ARTICLES = (
    # declared UTF-8 in the header (and the page), written in windows-1252
    ArticleCase(
        "/news/2026/11/21/cafe-de-la-greve-reopens",
        "Le café de la Grève rouvre après la crue",
        "fr",
        _FRENCH_CP1252,
        "Le café de la Grève a rouvert à Noël, après une crue décrite comme « exceptionnelle »",
        encoding="cp1252",
        header_charset="utf-8",
        meta_charset="utf-8",
        author="Claire Dubois",
    ),
    # declared windows-1251 in the header, written in UTF-8
    ArticleCase(
        "/news/2026/11/21/glacier-museum-opens",
        "Gletschermuseum in Grünwald öffnet im März",
        "de",
        _GERMAN_UTF8,
        "Das Gletschermuseum in Grünwald öffnet am Märzende; der Eintritt für Schüler kostet 5 €",
        encoding="utf-8",
        header_charset="windows-1251",
        meta_charset=None,
        author="Jonas Keller",
    ),
    # declared only in the HTTP header (windows-1251), no <meta>
    ArticleCase(
        "/news/2026/11/21/moscow-metro-line",
        "Новая линия метро откроется в декабре",
        "ru",
        _RUSSIAN_CP1251,
        "Новая линия московского метро откроется в декабре",
        encoding="cp1251",
        header_charset="windows-1251",
        meta_charset=None,
        author="Irina Volkova",
    ),
    # no charset anywhere, UTF-8
    ArticleCase(
        "/news/2026/11/21/lisbon-tram-returns",
        "O elétrico volta às ruas de Lisboa",
        "pt",
        _PORTUGUESE_UTF8,
        "O elétrico voltou às ruas de Lisboa após três anos; a população celebrou",
        encoding="utf-8",
        header_charset=None,
        meta_charset=None,
        author="Rui Almeida",
    ),
    # no charset anywhere, windows-1252
    ArticleCase(
        "/news/2026/11/21/seville-orange-harvest",
        "Sevilla recoge su mayor cosecha de naranjas",
        "es",
        _SPANISH_CP1252,
        "La cosecha de naranjas en Sevilla alcanzó su máximo; «año excepcional»",
        encoding="cp1252",
        header_charset=None,
        meta_charset=None,
        author="Lucía Romero",
    ),
    # <meta> says ISO-8859-1 (no header charset), written in UTF-8
    ArticleCase(
        "/news/2026/11/21/zurich-lake-festival",
        "Zürich feiert das Seefest",
        "de",
        _GERMAN_META_LATIN1,
        "Zürich feiert das Seefest: Über 200 000 Besucher genossen Würstchen, Gebäck",
        encoding="utf-8",
        header_charset=None,
        meta_charset="iso-8859-1",
        author="Mia Brunner",
    ),
)
MALFORMED_ARTICLE = ArticleCase(
    "/news/2026/11/22/storm-damage-worse-than-thought",
    "Storm damage worse than first thought",
    "en",
    _ENGLISH_STORM,
    "gusts of more than one hundred and forty kilometres an hour",
    author="Sam Okafor",
    # NUL, control characters and bytes that are UTF-8 in no order, between tags
    garbage=b'\n<div class="junk">\x00\x01\x02\x1b[31m\xff\xfe\xc3\x28 <<<>>> &&& \xe2\x82</div>\n',
    malformed=True,
)
# Between DOWNLOAD_WARNSIZE and DOWNLOAD_MAXSIZE: an article with a large inline data blob.
WARN_SIZE_ARTICLE = ArticleCase(
    "/news/2026/11/22/observatory-scans-its-plates",
    "Observatory scans sixty years of sky",
    "en",
    _ENGLISH_LONG_READ,
    "its archive of glass plates is now being scanned",
    author="Nora Lind",
    after='<script type="application/json" id="state">{"pad": "'
    + "0123456789abcdef" * ((WARN_SIZE + MAX_SIZE) // 2 // 16)
    + '"}</script>\n',
)
ARTICLES = (*GOOD_ARTICLES, *CHARSET_ARTICLES, MALFORMED_ARTICLE, WARN_SIZE_ARTICLE)


# --- bombs and big bodies ---------------------------------------------------------------------
@cache
def bomb(encoding: str) -> bytes:
    """``BOMB_SIZE`` bytes of HTML-looking filler, compressed with ``encoding``."""
    plain = b"<html><body><p>" + b"A" * (BOMB_SIZE - 15)
    if encoding == "gzip":
        return gzip.compress(plain, compresslevel=9)
    if encoding == "deflate":
        return zlib.compress(plain, 9)
    if encoding == "gzip, gzip":  # compressed twice: the outer layer shrinks the inner one
        return gzip.compress(gzip.compress(plain, compresslevel=9), compresslevel=9)
    if encoding == "br":
        import brotli  # Scrapy requires it (scrapy/utils/_compression.py)

        return brotli.compress(plain, quality=5)
    if encoding == "zstd":
        from backports import zstd  # Scrapy requires it on Python < 3.14

        return zstd.compress(plain)
    raise ValueError(encoding)


BOMBS = {"gzip": "gzip", "deflate": "deflate", "br": "br", "zstd": "zstd", "gzip2": "gzip, gzip"}


@cache
def _filler(size: int, head: bytes) -> bytes:
    return head + b"\0" * (size - len(head))


# PDF, JPEG and MP4 signatures, so that a sniffer would agree with the Content-Type.
NON_HTML = {
    "/download/annual-report": ("application/pdf", PDF_SIZE, b"%PDF-1.7\n"),
    "/media/harbour-photo": ("image/jpeg", IMAGE_SIZE, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    "/media/storm-video": ("video/mp4", VIDEO_SIZE, b"\x00\x00\x00\x18ftypmp42"),
}
# Linked with a file extension Scrapy's link extractor never follows.
PDF_BY_EXTENSION = "/files/annual-report-2026.pdf"


@cache
def _huge_page() -> bytes:
    """``HUGE_BODY`` bytes of an HTML page that never ends."""
    head = b"<!DOCTYPE html><html><head><title>Huge</title></head><body>\n"
    row = b"<p>" + b"Filler paragraph of an endless page. " * 20 + b"</p>\n"
    rows = row * ((HUGE_BODY - len(head)) // len(row) + 1)
    return (head + rows)[:HUGE_BODY]


# --- small pages -----------------------------------------------------------------------------
def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body></html>\n"
    ).encode()


def _links(hrefs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(
        f'<li><a href="{html.escape(href, quote=True)}">{html.escape(text)}</a></li>'
        for href, text in hrefs
    )


def nested_html(depth: int = NESTING) -> bytes:
    return _page(
        "Nested", "<div>" * depth + "<p>At the bottom of the nesting.</p>" + "</div>" * depth
    )


SCRIPTS_ONLY = (
    b"<!DOCTYPE html><html><head><script>var a = 1;</script></head><body>"
    + b"<script>document.write('<p>' + 'x'.repeat(2000) + '</p>');</script>" * 50
    + b"</body></html>"
)


# --- bounded work per response ----------------------------------------------------------------
@cache
def sitemap_bomb() -> bytes:
    """A sitemap of ``SITEMAP_BOMB_SIZE`` bytes (one real entry, then whitespace), gzipped to
    about 51 KB and served as a file (no Content-Encoding): the crawler unpacks it itself."""
    entry = b"<url><loc>/news/2026/11/20/harbour-bridge-reopens</loc></url>\n"
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    head += b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entry
    tail = b"</urlset>\n"
    plain = head + b" " * (SITEMAP_BOMB_SIZE - len(head) - len(tail)) + tail
    return gzip.compress(plain, compresslevel=9)


@cache
def link_flood_page() -> bytes:
    """``LINK_FLOOD_LINKS`` links on one page (4.4 MB), each to a small page of its own."""
    links = "".join(
        f'<li><a href="{link_flood_target(n)}">{n}</a>\n' for n in range(LINK_FLOOD_LINKS)
    )
    return _page("Every link", f"<h1>Every link</h1>\n<ul>\n{links}</ul>")


def link_flood_target(n: int) -> str:
    """The path of the page the link flood's ``n``-th link points to."""
    return f"/bounded/item-{n}"


# A real article whose page is 10 MB: inline data (a serialised app state, as heavy pages
# carry), within the project's DOWNLOAD_MAXSIZE of 10 MiB.
BIG_ARTICLE = ArticleCase(
    "/news/2026/11/23/observatory-opens-its-archive",
    "Observatory opens its archive to everyone",
    "en",
    _ENGLISH_LONG_READ,
    "its archive of glass plates is now being scanned",
    author="Nora Lind",
)


@cache
def big_article_page() -> bytes:
    """``BIG_ARTICLE`` padded with an inline JSON state to ``BIG_ARTICLE_SIZE`` bytes. Its
    "Home" link goes to a page of its own, so that a crawl of it meets no other case."""
    page = BIG_ARTICLE.render().replace(b'<a href="/">', b'<a href="/bounded/">', 1)
    pad_open, pad_close = b'<script type="application/json" id="state">{"pad": "', b'"}</script>\n'
    room = BIG_ARTICLE_SIZE - len(page) - len(pad_open) - len(pad_close)
    pad = pad_open + (b"0123456789abcdef" * (room // 16 + 1))[:room] + pad_close
    return page.replace(b"</main>", pad + b"</main>", 1)


LONG_READ_PATH = "/bounded/long-read"


@cache
def long_read_page() -> bytes:
    """``BIG_ARTICLE``'s paragraphs over and over, to ``BIG_ARTICLE_SIZE`` bytes of text:
    what no article is, a page whose extraction would cost its size many times over."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in BIG_ARTICLE.paragraphs).encode()
    page = BIG_ARTICLE.render().replace(b'<a href="/">', b'<a href="/bounded/">', 1)
    copies = (BIG_ARTICLE_SIZE - len(page)) // (len(paragraphs) + 1)
    return page.replace(b"</article>", b"\n".join([paragraphs] * copies) + b"</article>", 1)


# --- the request log ------------------------------------------------------------------------
@dataclass
class Served:
    """One request and what it got."""

    t: float
    method: str
    path: str
    host: str | None
    status: int = 0
    # Body bytes handed to the socket before the response ended or the client hung up.
    sent: int = 0
    # Body bytes the response would have had.
    length: int = 0
    hung_up: bool = False
    t_end: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# --- the server -------------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: HostileSite) -> None:
        super().__init__(address, _Handler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: clients hanging up mid-response are the point of this server."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "HostileHerald/1.0"
    # HTTP/1.0: one response per connection, so a body without Content-Length ends at close.
    protocol_version = "HTTP/1.0"
    # A client that connects and sends nothing must not hold a thread for ever.
    timeout = 10

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """No stderr line per request: `HostileSite.requests()` is the log."""

    def do_GET(self) -> None:
        site = self.server.site
        record = Served(t=time.time(), method="GET", path=self.path, host=self.headers.get("Host"))
        site._record(record)
        try:
            site.route(self, record)
        except (BrokenPipeError, ConnectionResetError):
            record.hung_up = True
        finally:
            record.t_end = time.time()
            self.close_connection = True

    # --- response helpers used by the routes ---------------------------------------------
    def head(
        self,
        record: Served,
        status: int,
        content_type: str | None,
        length: int | None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        record.status = status
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def body(self, record: Served, data: bytes, *, paced: bool = False) -> None:
        """Write ``data``; paced bodies go out in small chunks through a small buffer."""
        record.length = len(data)
        if paced:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SMALL_SNDBUF)
        stopping = self.server.site._stopping
        try:
            for start in range(0, len(data), _CHUNK):
                if stopping.is_set():
                    return
                chunk = data[start : start + _CHUNK]
                self.wfile.write(chunk)
                record.sent += len(chunk)
                if paced:
                    time.sleep(_PACE_SECONDS)
        except OSError:
            record.hung_up = True

    def send(
        self,
        record: Served,
        status: int,
        data: bytes,
        content_type: str | None = HTML_UTF8,
        headers: Iterable[tuple[str, str]] = (),
        *,
        declare_length: bool = True,
        paced: bool = False,
    ) -> None:
        length = len(data) if declare_length else None
        self.head(record, status, content_type, length, headers)
        self.body(record, data, paced=paced)

    def trickle(self, record: Served, length: int) -> None:
        """Headers at once, then one body byte a second until done or hung up on."""
        self.head(record, 200, HTML_UTF8, length)
        record.length = length
        stopping = self.server.site._stopping
        try:
            for _ in range(length):
                if stopping.wait(1.0):
                    return
                self.wfile.write(b"x")
                record.sent += 1
        except OSError:
            record.hung_up = True

    def header_flood(self, record: Served, total: int) -> None:
        """A status line, then header lines until ``total`` bytes are out or the client hangs
        up (``sent`` counts header bytes), paced through a small send buffer."""
        record.status = 200
        record.length = total
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SMALL_SNDBUF)
        chunk = HEADER_FLOOD_LINE * (_CHUNK // len(HEADER_FLOOD_LINE))
        stopping = self.server.site._stopping
        try:
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            while record.sent < total and not stopping.is_set():
                self.wfile.write(chunk)
                record.sent += len(chunk)
                time.sleep(_PACE_SECONDS)
        except OSError:
            record.hung_up = True

    def never_answer(self, record: Served, limit: float = 60.0) -> None:
        """Read the request, then say nothing until the client gives up (or the site stops)."""
        stopping = self.server.site._stopping
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if readable:
                try:
                    if not self.connection.recv(1024):
                        record.hung_up = True
                        return
                except OSError:
                    record.hung_up = True
                    return


class HostileSite:
    """The Hostile Herald on ``host:port`` (port 0 picks a free one), in a background thread.

    ``refused_port`` is the port of a `RefusedListener`: the refused redirects point there.
    ``bomb_sitemap`` False answers /sitemap.xml with a 404, for crawls that measure another
    case alone.
    """

    def __init__(
        self,
        host: str = "127.0.0.6",
        port: int = 0,
        *,
        refused_port: int = 0,
        robots_delay: float = 0.0,
        bomb_sitemap: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.refused_port = refused_port
        # robots.txt answers after this many seconds (a slow robots.txt keeps requests waiting)
        self.robots_delay = robots_delay
        self.bomb_sitemap = bomb_sitemap
        self._lock = threading.Lock()
        self._requests: list[Served] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"hostile-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow responses still running end within a second."""
        self._stopping.set()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- views -----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("HostileSite has no port yet: call start() first")
        return f"http://{self.host}:{self.port}/"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def requests(self, prefix: str | None = None) -> list[dict]:
        """Requests served so far (copies), oldest first; only paths under ``prefix`` if given."""
        with self._lock:
            served = [r.as_dict() for r in self._requests]
        if prefix is not None:
            served = [r for r in served if r["path"].startswith(prefix)]
        return served

    def refused_targets(self) -> dict[str, str]:
        """Redirect targets that the address policy must refuse, by route name.

        Each one reaches the refused listener if connected to (except the metadata address,
        where nothing can listen in a test): plain, as a decimal or hexadecimal integer (which
        getaddrinfo reads as 127.0.0.9), IPv4-mapped IPv6, ::1, and ``localhost`` by name.
        """
        port = self.refused_port
        return {
            "plain": f"http://127.0.0.9:{port}/admin",
            "decimal": f"http://2130706441:{port}/admin",
            "hex": f"http://0x7f000009:{port}/admin",
            "mapped": f"http://[::ffff:127.0.0.9]:{port}/admin",
            "ipv6-loopback": f"http://[::1]:{port}/admin",
            "localhost": f"http://localhost:{port}/admin",
            "metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        }

    def other_scheme_targets(self) -> dict[str, str]:
        return {
            "file": "file:///etc/passwd",
            "ftp": f"ftp://127.0.0.9:{self.refused_port}/pub/secrets.txt",
            "data": "data:text/html,<p>inline</p>",
        }

    # --- the site ------------------------------------------------------------------------
    def home_links(self) -> list[tuple[str, str]]:
        """Every case the home page links to."""
        links = [(a.path, a.title) for a in ARTICLES]
        links += [("/huge/declared", "Huge page"), ("/huge/streamed", "Huge streamed page")]
        links += [(f"/bomb/{name}", f"{name} bomb") for name in BOMBS]
        links += [
            ("/redirect/loop-a", "Redirect loop"),
            ("/redirect/chain/1", "Redirect chain"),
        ]
        links += [
            (f"/redirect/refused/{name}", f"Refused {name}") for name in self.refused_targets()
        ]
        links += [
            (f"/redirect/scheme/{name}", f"{name} redirect") for name in self.other_scheme_targets()
        ]
        links += [("/slow/silent", "Silent"), ("/slow/trickle", "Trickle")]
        links += [("/long/" + "x" * LONG_URL_CHARS, "Overlong URL")]
        day = CALENDAR_START.replace("-", "/")
        links += [
            (f"/trap/calendar/{day}/", "Calendar"),
            (
                "/trap/grow?" + urlencode([(f"f{i}", i) for i in range(1, GROW_START + 1)]),
                "Filters",
            ),
            ("/trap/s/8f14e45fceea167a/page", "Session"),
            ("/trap/loop/a/b/", "Relative loop"),
        ]
        links += [(path, path) for path in NON_HTML]
        links += [(PDF_BY_EXTENSION, "Annual report (PDF)")]
        links += [
            ("/odd/nested", "Nested"),
            ("/odd/empty", "Empty"),
            ("/odd/scripts-only", "Scripts"),
            ("/odd/missing", "Missing"),
            ("/odd/broken", "Broken"),
        ]
        return links

    def route(self, handler: _Handler, record: Served) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        if path == "/":
            body = "<h1>The Hostile Herald</h1>\n<ul>\n" + _links(self.home_links()) + "\n</ul>"
            return handler.send(record, 200, _page("The Hostile Herald", body))
        if path == "/robots.txt":
            if self.robots_delay:
                self._stopping.wait(self.robots_delay)
            return handler.send(record, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        for article in ARTICLES:
            if path == article.path:
                return handler.send(record, 200, article.render(), article.content_type)
        if path == "/huge/declared":
            return handler.send(record, 200, _huge_page(), paced=True)
        if path == "/huge/streamed":
            return handler.send(record, 200, _huge_page(), declare_length=False, paced=True)
        if path.startswith("/bomb/") and path[6:] in BOMBS:
            encoding = BOMBS[path[6:]]
            return handler.send(
                record, 200, bomb(encoding), HTML_UTF8, [("Content-Encoding", encoding)]
            )
        if path.startswith("/redirect/"):
            return self._redirect(handler, record, path[len("/redirect/") :])
        if path == "/slow/silent":
            return handler.never_answer(record)
        if path == "/slow/trickle":
            return handler.trickle(record, TRICKLE_LENGTH)
        if path.startswith("/trap/"):
            return self._trap(handler, record, path, parts.query)
        if path in NON_HTML:
            content_type, size, signature = NON_HTML[path]
            return handler.send(record, 200, _filler(size, signature), content_type, paced=True)
        if path == PDF_BY_EXTENSION:
            return handler.send(
                record, 200, _filler(PDF_SIZE, b"%PDF-1.7\n"), "application/pdf", paced=True
            )
        if path == "/odd/nested":
            return handler.send(record, 200, nested_html())
        if path == "/odd/empty":
            return handler.send(record, 200, b"", "text/html")
        if path == "/odd/scripts-only":
            return handler.send(record, 200, SCRIPTS_ONLY)
        if path == "/odd/broken":
            return handler.send(
                record, 500, _page("Server error", "<h1>Internal Server Error</h1>")
            )
        if path == "/sitemap.xml" and self.bomb_sitemap:
            return handler.send(record, 200, sitemap_bomb(), "application/x-gzip", paced=True)
        if path == "/headers/flood":
            return handler.header_flood(record, HEADER_FLOOD_BYTES)
        if path == "/headers/many":
            headers = [(f"X-Many-{n}", "1") for n in range(MANY_HEADER_LINES)]
            return handler.send(record, 200, _page("Many headers", "<p>x</p>"), headers=headers)
        if path == "/bounded/":
            return handler.send(record, 200, _page("Bounded", "<p>Nothing to follow.</p>"))
        if path == "/bounded/links":
            return handler.send(record, 200, link_flood_page(), paced=True)
        if path.startswith("/bounded/item-"):
            return handler.send(record, 200, _page("Item", "<p>One of a hundred thousand.</p>"))
        if path == LONG_READ_PATH:
            return handler.send(record, 200, long_read_page(), paced=True)
        if path == BIG_ARTICLE.path:
            return handler.send(record, 200, big_article_page(), BIG_ARTICLE.content_type,
                                paced=True)  # fmt: skip
        if path == "/many/":
            items = [(f"/many/item-{n}", f"Item {n}") for n in range(1, MANY_PAGES + 1)]
            return handler.send(record, 200, _page("Many", "<ul>" + _links(items) + "</ul>"))
        if path.startswith("/many/item-"):
            return handler.send(record, 200, _page("Item", "<p>One of many.</p>"))
        return handler.send(record, 404, _page("Not found", "<h1>Not found</h1>"))

    def _redirect(self, handler: _Handler, record: Served, rest: str) -> None:
        target = None
        if rest in ("loop-a", "loop-b"):
            target = "/redirect/loop-b" if rest == "loop-a" else "/redirect/loop-a"
        elif rest in ("seed-loop-a", "seed-loop-b"):
            target = "/redirect/seed-loop-b" if rest == "seed-loop-a" else "/redirect/seed-loop-a"
        elif rest.startswith("chain/") and rest[6:].isdigit():
            step = int(rest[6:])
            if step >= CHAIN_LENGTH:
                return handler.send(record, 200, _page("End of chain", "<p>The end.</p>"))
            target = f"/redirect/chain/{step + 1}"
        elif rest.startswith("refused/"):
            target = self.refused_targets().get(rest[8:])
        elif rest.startswith("scheme/"):
            target = self.other_scheme_targets().get(rest[7:])
        if target is None:
            return handler.send(record, 404, _page("Not found", "<h1>Not found</h1>"))
        record.extra["location"] = target
        moved = _page(
            "Moved", f'<p>Moved to <a href="{html.escape(target, quote=True)}">here</a>.</p>'
        )
        return handler.send(record, 302, moved, headers=[("Location", target)])

    def _trap(self, handler: _Handler, record: Served, path: str, query: str) -> None:
        segments = path.split("/")[2:]
        kind = segments[0] if segments else ""
        if kind == "calendar":
            # /trap/calendar/YYYY/MM/DD/: yesterday and tomorrow, for ever
            try:
                day = dt.date(int(segments[1]), int(segments[2]), int(segments[3]))
            except (ValueError, IndexError):
                return handler.send(record, 404, _page("Not found", ""))
            links = [
                (f"/trap/calendar/{d:%Y/%m/%d}/", f"{d:%d %B %Y}")
                for d in (day - dt.timedelta(days=1), day + dt.timedelta(days=1))
            ]
            return handler.send(
                record, 200, _page(f"Archive {day}", "<ul>" + _links(links) + "</ul>")
            )
        if kind == "grow":
            # links itself with one more filter parameter
            params = parse_qsl(query)
            more = urlencode([*params, (f"f{len(params) + 1}", len(params) + 1)])
            return handler.send(
                record, 200, _page("Filters", _links([(f"/trap/grow?{more}", "More")]))
            )
        if kind == "s" and len(segments) == 3:
            # a fresh random session id in the path on every page
            link = f"/trap/s/{uuid.uuid4().hex[:16]}/page"
            return handler.send(record, 200, _page("Session", _links([(link, "Next")])))
        if kind == "loop":
            # a relative link that grows the path: /trap/loop/a/b/ -> /trap/loop/a/b/a/b/ ...
            return handler.send(record, 200, _page("Loop", _links([("a/b/", "Deeper")])))
        return handler.send(record, 404, _page("Not found", ""))

    def _record(self, record: Served) -> None:
        with self._lock:
            self._requests.append(record)


# --- the address that must never be reached ---------------------------------------------------
class RefusedListener:
    """Accepts and records every connection on one port of several loopback addresses.

    Binds 127.0.0.9 (port 0 picks one), then the same port on 127.0.0.1 and ::1, so that
    ``localhost``, ``[::1]`` and IPv4-mapped spellings all land here; an address that cannot
    be bound (no IPv6) is left out and listed in ``missing``.
    """

    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.9", "127.0.0.1", "::1")) -> None:
        self.hosts = hosts
        self.port = 0
        self.missing: list[str] = []
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._connections: list[dict] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> Self:
        for _attempt in range(20):
            if self._bind_all():
                break
        else:
            raise RuntimeError("no port free on every refused address")
        for sock in self._sockets:
            thread = threading.Thread(target=self._accept, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _bind_all(self) -> bool:
        self._close_sockets()
        self.missing = []
        port = 0
        for host in self.hosts:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind((host, port))
            except OSError as exc:
                sock.close()
                if host == self.hosts[0] or exc.errno == errno.EADDRINUSE:  # try another port
                    return False
                self.missing.append(host)
                continue
            sock.listen(16)
            sock.settimeout(0.2)
            port = sock.getsockname()[1]
            self._sockets.append(sock)
        self.port = port
        return True

    def _accept(self, sock: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                connection, peer = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.append(
                    {"t": time.time(), "local": sock.getsockname()[0], "peer": peer[0]}
                )
            connection.close()

    def connections(self) -> list[dict]:
        with self._lock:
            return list(self._connections)

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close()
        self._sockets = []

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self._close_sockets()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def closed_port(host: str = "127.0.0.6") -> int:
    """A port on ``host`` that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
