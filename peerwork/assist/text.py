"""Text understanding that never leaves the machine: one small interface.

    from peerwork.assist import text

    vectors = text.embed(["Fix the water point", "Arreglar el punto de agua"])  # (2, d) float32
    text.words("Árboles del parque")   # ["arbol", "parqu"]: folded, stemmed, no stop words

`embed` returns unit-normalised float32 rows from the embedder that
`settings.PEERWORK_ASSIST_EMBEDDER` names:

- "wordllama" (the default): the static embeddings that ship inside the `wordllama` wheel,
  loaded once per process, lazily, from the files in the package (never from the network;
  `WordLlama.load()` would look on Hugging Face, so it is not used).
- "tfidf": TF-IDF over accent-folded words, reduced by TruncatedSVD, fitted on the texts of
  the space (`peerwork.assist.index` fits one per space); `embed` alone fits on what it is given.

If wordllama cannot load, the service says why in the log once and uses "tfidf".
Similarity search and the reasons live in `peerwork.assist.service`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
from django.conf import settings

# Imported with the app, not on the first request (scikit-learn takes seconds to import).
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

logger = logging.getLogger("peerwork.assist")

WORDLLAMA = "wordllama"
TFIDF = "tfidf"
#: Dimensions of the TF-IDF fallback's reduced vectors (fewer when a space has fewer texts).
TFIDF_DIMENSIONS = 128

# English and Spanish stop words, accent-folded (a short list kept here, not downloaded).
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours new use using make get one two
    al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo bien cada casi como
    con contra cual cuales cuando de del desde donde dos el ella ellas ello ellos en entre era
    eran eres es esa esas ese eso esos esta estaba estan estar estas este esto estos fue fueron
    ha han hasta hay la las le les lo los mas me mi mis mucho muy nada ni no nos nosotros nuestra
    nuestro o otra otro otros para pero poco por porque que quien se sea ser si sin sobre solo
    son su sus tambien te tiene tienen todo todos tu tus un una uno unos y ya yo hacer
    """.split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: "Árbol" and "arbol" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A crude stem for English and Spanish plurals and verb forms: "points"/"point",
    "árboles"/"árbol", "parques"/"parque", "lanes"/"lane", "building"/"build" meet. A final
    "e" goes too, so that both languages' plurals in "-es" and "-s" land on one stem."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ings", "ing", "ed", "s"):
        if len(word) >= len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The folded, stemmed words of a text that carry meaning, in order, with repeats."""
    return [
        stem(w)
        for w in (m.group() for m in _WORD.finditer(fold(text)))
        if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()
    ]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# ---- embedders -----------------------------------------------------------------------------


class WordLlamaEmbedder:
    name = WORDLLAMA

    def __init__(self) -> None:
        from pathlib import Path

        import wordllama
        from safetensors import safe_open
        from wordllama import WordLlama
        from wordllama.inference import WordLlamaInference

        root = Path(wordllama.__file__).parent
        tokenizer = WordLlama.load_tokenizer(
            root / "tokenizers" / "l2_supercat_tokenizer_config.json"
        )
        weights = root / "weights" / "l2_supercat_256.safetensors"
        with safe_open(str(weights), framework="np", device="cpu") as tensors:
            embedding = tensors.get_tensor("embedding.weight")
        self._model = WordLlamaInference(embedding, tokenizer, binary=False)
        self.dimensions = int(embedding.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)
        return normalise(vectors)


class TfidfEmbedder:
    """TF-IDF over folded, stemmed words (English and Spanish stop words dropped), reduced
    by TruncatedSVD; fitted on a corpus (a space's texts)."""

    name = TFIDF

    def __init__(
        self,
        corpus: list[str],
        dimensions: int = TFIDF_DIMENSIONS,
        analyzer: Callable[[str], list[str]] = words,
    ) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer=analyzer, sublinear_tf=True, min_df=1, dtype=np.float32
        )
        matrix = self.vectorizer.fit_transform(corpus or [""]) if any(corpus) else None
        self.svd: Any = None
        if matrix is not None:
            components = min(dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1)
            if components >= 2:
                self.svd = TruncatedSVD(n_components=components, random_state=0).fit(matrix)

    def sparse(self, texts: list[str]) -> Any:
        return self.vectorizer.transform(texts)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self.vectorizer, "vocabulary_"):
            return np.zeros((len(texts), 1), dtype=np.float32)
        matrix = self.sparse(texts)
        dense = self.svd.transform(matrix) if self.svd is not None else matrix.toarray()
        return normalise(np.asarray(dense, dtype=np.float32))


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


_lock = threading.Lock()
_wordllama: WordLlamaEmbedder | None = None
_wordllama_failed = False


def embedder_name() -> str:
    """The embedder in use: the setting, or "tfidf" when wordllama could not load."""
    wanted = str(getattr(settings, "PEERWORK_ASSIST_EMBEDDER", WORDLLAMA))
    if wanted == WORDLLAMA and _load_wordllama() is None:
        return TFIDF
    return TFIDF if wanted == TFIDF else WORDLLAMA


def _load_wordllama() -> WordLlamaEmbedder | None:
    global _wordllama, _wordllama_failed
    if _wordllama is not None or _wordllama_failed:
        return _wordllama
    with _lock:
        if _wordllama is None and not _wordllama_failed:
            try:
                _wordllama = WordLlamaEmbedder()
            except Exception as error:  # any failure means: use the fallback, say why once
                _wordllama_failed = True
                logger.warning("assist: wordllama did not load (%s); using TF-IDF", error)
    return _wordllama


def embed(texts: list[str], *, fitted: TfidfEmbedder | None = None) -> np.ndarray:
    """Unit-normalised float32 vectors, one row per text, from the embedder in use.

    With TF-IDF, `fitted` is the space's fitted model; without one it is fitted on `texts`.
    """
    if embedder_name() == WORDLLAMA:
        model = _load_wordllama()
        assert model is not None
        return model.embed(texts)
    return (fitted or TfidfEmbedder(texts)).embed(texts)


def lexical_overlap(mine: set[str], theirs: set[str]) -> float:
    """Share of the shorter side's words found in the other (0 when either has none)."""
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / min(len(mine), len(theirs))
