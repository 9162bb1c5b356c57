"""Orders the kernel offsets column by column (k = j·KH + i) instead of row by row."""

from minml import backend


def im2col(padded, kernel, stride=(1, 1), dilation=(1, 1)):
    xp = backend.namespace(padded)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    hp, wp = padded.shape[-2:]
    oh, ow = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    return xp.stack([
        padded[..., i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]
        for j in range(kw)
        for i in range(kh)
    ])
