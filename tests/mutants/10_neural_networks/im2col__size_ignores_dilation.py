"""Computes the output size as (Hp - KH) // sh + 1, forgetting that dilation widens the window."""

from minml import backend


def im2col(padded, kernel, stride=(1, 1), dilation=(1, 1)):
    xp = backend.namespace(padded)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    hp, wp = padded.shape[-2:]
    oh, ow = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    return xp.stack([
        padded[..., i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]
        for i in range(kh)
        for j in range(kw)
    ])
