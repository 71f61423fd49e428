# Regenerates the PyTorch fixtures: python make_torch_fixtures.py
# Made with torch 2.x and safetensors; every file is a few KB. The Swift tests check
# the arange-based tensors by value and the others against the .safetensors companions
# written here by the safetensors library.
import io
import zipfile

import torch
from safetensors.torch import save_file
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))


def dtypes():
    return {
        "float32": (torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 1),
        "float64": torch.tensor([0.1, -2.5, 1e300], dtype=torch.float64),
        "float16": torch.tensor([0.5, -2.0, 65504.0, 6e-8], dtype=torch.float16),
        "bfloat16": torch.tensor([1.0, -0.5, 3.0e38], dtype=torch.bfloat16),
        "int8": torch.tensor([-128, 0, 127], dtype=torch.int8),
        "int16": torch.tensor([-32768, 7, 32767], dtype=torch.int16),
        "int32": torch.tensor([[-(2**31)], [2**31 - 1]], dtype=torch.int32),
        "int64": torch.tensor([-(2**63), 0, 2**63 - 1], dtype=torch.int64),
        "uint8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "complex64": torch.tensor([1 + 2j, -3.5 - 0.5j], dtype=torch.complex64),
        "uint16": torch.tensor([0, 65535], dtype=torch.uint16),
        "uint32": torch.tensor([4_000_000_000], dtype=torch.uint32),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 4),
    }


def views():
    base = torch.arange(12, dtype=torch.float32)
    matrix = base.view(3, 4)
    shared = torch.arange(4, dtype=torch.int64)
    return {
        "base": base,
        "offset_view": base[3:7],
        "matrix": matrix,
        "transposed": matrix.t(),
        "strided": base[::3],
        "expanded": torch.arange(3, dtype=torch.float32).expand(2, 3),
        "element": base[5],
        "shared_a": shared,
        "shared_b": shared,
        "conjugated": torch.tensor([1 + 2j, 3 - 4j]).conj(),
    }


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)
        self.conv = torch.nn.Conv2d(1, 2, kernel_size=2)
        self.bn = torch.nn.BatchNorm2d(2)

    def forward(self, x):
        return self.bn(self.conv(x))


def trained():
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss = net(torch.randn(3, 1, 3, 3)).sum() + net.fc(torch.randn(2, 4)).sum()
    loss.backward()
    optimizer.step()
    return net, optimizer


def flatten(prefix, value, out):
    if isinstance(value, torch.Tensor):
        out[prefix] = value.detach().clone().contiguous()
    elif isinstance(value, dict):
        for key, item in value.items():
            flatten(f"{prefix}.{key}" if prefix else str(key), item, out)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            flatten(f"{prefix}.{index}", item, out)
    return out


def big_endian_copy(source, target):
    """Rewrites a little-endian archive as PyTorch on a big-endian machine would.

    Assumes one storage per tensor, keyed in the order of the saved dict."""
    obj = torch.load(source, weights_only=True)
    item_sizes = {str(index): tensor.element_size() for index, tensor in enumerate(obj.values())}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        prefix = zin.namelist()[0].split("/")[0]
        for info in zin.infolist():
            data = zin.read(info.filename)
            short = info.filename[len(prefix) + 1:]
            if short == "byteorder":
                data = b"big"
            elif short.startswith("data/"):
                size = item_sizes[short[5:]]
                data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
            zout.writestr(info, data)
    loaded = torch.load(target, weights_only=True)
    for key, value in obj.items():
        assert torch.equal(loaded[key], value), key


if __name__ == "__main__" and RUN_AS_SCRIPT:
    torch.save(dtypes(), "dtypes.pt")
    torch.save(views(), "views.pt")
    net, optimizer = trained()
    torch.save(net.state_dict(), "module_state.pt")
    save_file(flatten("", net.state_dict(), {}), "module_state.safetensors")
    torch.save(optimizer.state_dict(), "adam.pt")
    save_file(flatten("", optimizer.state_dict(), {}), "adam.safetensors")
    torch.save(
        {
            "epoch": 3,
            "global_step": 1200,
            "run": "baseline-✓",
            "losses": [0.5, 0.25],
            "best": None,
            "config": {"lr": 1e-3, "betas": (0.9, 0.999), "layers": [4, 3]},
            "model": net.state_dict(),
            "optimizer": optimizer.state_dict(),
        },
        "checkpoint.pt",
    )
    torch.save(
        {
            "weight": torch.nn.Parameter(torch.arange(4, dtype=torch.float32)),
            "frozen": torch.nn.Parameter(torch.ones(2), requires_grad=False),
            "tracked": torch.arange(3, dtype=torch.float64).requires_grad_(),
            "device": torch.device("cpu"),
            "dtype": torch.float16,
            "size": torch.Size([2, 3]),
        },
        "objects.pt",
    )
    small = {"a": torch.arange(3, dtype=torch.int32), "b": torch.tensor([1.5, -2.0], dtype=torch.float64),
             "c": torch.tensor([0.5], dtype=torch.bfloat16)}
    torch.save(small, "little.pt")
    big_endian_copy("little.pt", "big_endian.pt")
    buffer = io.BytesIO()
    torch.save({"x": torch.ones(2)}, buffer, _use_new_zipfile_serialization=False)
    with open("legacy.pt", "wb") as f:
        f.write(buffer.getvalue())
