"""``Embedding``: a learnable lookup table from integer ids (words, items, categories) to vectors.

``Embedding(num_embeddings, embedding_dim)(ids)`` returns row ``weight[i]``
for each id: the same as one-hot(ids) @ weight, without building the one-hot
matrix. Only the rows that were looked up receive a gradient.

``padding_idx`` names a padding token (the id that fills short sequences up to
a batch's length): its row starts at zeros and never receives a gradient, so it
stays zeros, as in PyTorch.
"""

from __future__ import annotations

from minml.autograd.indexing import embedding, padding_row
from minml.autograd.tensor import Tensor, zeros
from minml.nn import init
from minml.nn.module import Module, Parameter

__all__ = ["Embedding"]


class Embedding(Module):
    """A (num_embeddings, embedding_dim) table, initialised N(0, 1) as in PyTorch; input: integer ids of any shape.

    ``padding_idx`` (negative counts from the end) is a row kept at zeros: zero at the start, no gradient.
    """

    def __init__(
        self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
        *, device=None, dtype=None, random_state=None,
    ):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_row(padding_idx, num_embeddings)
        self.weight = Parameter(zeros(num_embeddings, embedding_dim, dtype=dtype, device=device))
        self.reset_parameters(random_state)

    def reset_parameters(self, random_state=None) -> None:
        init.normal_(self.weight, random_state=random_state)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0  # in place, outside the graph, as init does

    def forward(self, ids) -> Tensor:
        return embedding(self.weight, ids, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else f"{text}, padding_idx={self.padding_idx}"
