"""Starts offset (i, j) at (i·sh, j·sw) and steps by the dilation: stride and dilation swapped."""

from minml import backend


def im2col(padded, kernel, stride=(1, 1), dilation=(1, 1)):
    xp = backend.namespace(padded)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    hp, wp = padded.shape[-2:]
    oh, ow = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    return xp.stack([
        padded[..., i * sh : i * sh + dh * (oh - 1) + 1 : dh, j * sw : j * sw + dw * (ow - 1) + 1 : dw]
        for i in range(kh)
        for j in range(kw)
    ])
