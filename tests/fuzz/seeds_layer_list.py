"""Seeds for the layer_list target: layer lists as the CLI's --layers, the mlayers=
setting and a model file's layer_list metadata carry them: the recipes' networks, every
token form (rectangles, stride, padding, the optional '/', dropout, activations), lists
that do not fit their input, and malformed ones."""


def seeds():
    return {
        "recipe_cnn": "conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10",
        "page_cnn": "conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10",
        "header_example": "conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10",
        "lenet": "tanh,conv5x5x6/p2,pool2,conv5x5x16,pool2,fc120,fc84,fc10",
        "modifiers": "tanh,conv3x32p1,conv3x2x8/s2/p1,pool3/s2,dropout0.25,fc10",
        "no_slash": "conv3x2x8s2p1,fc10",
        "spaces": " conv5x5x16 , pool2,conv3x3x32/s1p0,pool2/s2,fc128,fc10 ",
        "flatten_dropout": "sigmoid,conv3x3x4,flatten,dropout0.5,fc16,relu,fc10",
        "tiny": "conv1x1x1,fc1",
        "mlp_only": "fc64,dropout0.1,fc10",
        "dropout_edges": "dropout0,dropout0.999999,dropout.5,fc3",
        "small_dropout": "dropout0.0001,fc2",
        "kernel_covers_image": "conv28x28x4,fc10",
        "too_deep": "conv5x5x16,pool2,conv5x5x8,pool2,conv5x5x8,fc10",
        "conv_after_fc": "fc10,conv3x3x2,fc10",
        "padding_as_kernel": "conv3x3x2/p3,fc10",
        "big_numbers": "conv999999x999999x999999/s999999p999998,pool999999/s999999,fc999999",
        "wide": "conv3x3x999999/p2,conv3x3x999999/p2,fc999999",
        "cost_beyond_int64": "conv999999x999999x999999/p999998,conv999999x999999x999999/p999998,"
                             "pool999999/s999999,fc10",
        # Kernels wider than the padded input leaves: the outer taps see only padding.
        "taps_on_padding": "tanh,conv4x9x6/p2,pool1,fc10",
        "kernel_covers_padded_image": "conv32x32x4/p2,fc10",
        "fc_last_missing": "conv3x3x8,pool2",
        "empty_token": "pool2,,fc10",
        "trailing_comma": "fc10,",
        "bad_modifier": "conv5x5x16/q2,fc10",
        "pool_padding": "pool2p1,fc10",
        "zero_stride": "conv5x5x16/s0,fc10",
        "negative": "fc-3",
        "seven_digits": "fc1234567",
        "dropout_out_of_range": "dropout1.5,fc10",
        "dropout_exponent": "dropout1e-3,fc10",
        "dropout_rounds_to_one": "dropout0.99999999,fc10",
        "dropout_seven_digits": "dropout0.1234567,dropout0.00001,fc10",
        "empty": "",
        "commas": ",,,,",
        "not_utf8": b"conv3x3x\xff\xfe,fc10",
        "nul": b"fc10\x00,fc10",
    }
