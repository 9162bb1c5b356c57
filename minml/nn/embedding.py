"""``Embedding``: a learnable lookup table from integer ids (words, items, categories) to vectors.

``Embedding(num_embeddings, embedding_dim)(ids)`` returns row ``weight[i]``
for each id: the same as one-hot(ids) @ weight, without building the one-hot
matrix. Only the rows that were looked up receive a gradient.
"""

from __future__ import annotations

from minml.autograd.indexing import embedding
from minml.autograd.tensor import Tensor, zeros
from minml.nn import init
from minml.nn.module import Module, Parameter

__all__ = ["Embedding"]


class Embedding(Module):
    """A (num_embeddings, embedding_dim) table, initialised N(0, 1) as in PyTorch; input: integer ids of any shape."""

    def __init__(self, num_embeddings: int, embedding_dim: int, *, device=None, dtype=None, random_state=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.weight = Parameter(zeros(num_embeddings, embedding_dim, dtype=dtype, device=device))
        self.reset_parameters(random_state)

    def reset_parameters(self, random_state=None) -> None:
        init.normal_(self.weight, random_state=random_state)

    def forward(self, ids) -> Tensor:
        return embedding(self.weight, ids)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
