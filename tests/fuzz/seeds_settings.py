"""Seeds for the settings target: query strings as the page's URL and the desktop's
--settings carry them, valid, out of range and malformed."""


def seeds():
    return {
        "defaults": "",
        "language": "lang=ko&panel=gates",
        "network": "panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7",
        "gates": "?panel=gates&gate=xor&w1=-1.5&w2=2&b=0.25&plr=0.5&xlr=3&xseed=18446744073709551615",
        "loss": "panel=loss&lseed=4&scale=200&logits=1,2,3,4,5,-1,-2,-3,-4,-5,0.5,1e2,-1e2,0,7"
                "&labels=0-4-2",
        "mnist": "panel=mnist&mlayers=784-128-10&mact=relu&mopt=adam&mlr=0.001&mbatch=100&mepochs=3"
                 "&mseed=777&mtrain=10000&mtest=500&mdevice=auto&mdata=data%2Fmnist&weights=https%3A%2F%2Fa%2Fb%3Fc%3Dd%26e",
        "network_all": "points=400&noise=0.2&test=0.3&loss=mse&opt=adam&batch=32&epochs=500&speed=60",
        "bad_values": "lr=abc&unknown=1&layers=3-1&seed=-4&w1=nan&scale=inf&points=1e3&labels=9-9-9&logits=1,2",
        "encoded": "%70anel=%6Eetwork&lr=%2B0.5&dataset=xor%2Dquadrants&mdata=a+b%20c%zz%4",
        "empty_pairs": "&&=&a&==&lr=&%",
        "float_edges": "lr=0.0001&w1=-2&w2=2.0000001&noise=1e-45&mlr=1e-5&test=0.9&scale=1000",
    }
