# Regenerates python.safetensors: python make_safetensors_fixture.py
import torch
from safetensors.torch import save_file
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))

save_file(
    {
        "weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
        "bias": torch.tensor([-1.5, 2.5], dtype=torch.float64),
        "ids": torch.tensor([1, -2, 3_000_000_000]),
        "half": torch.tensor([0.5, -2, 65504], dtype=torch.float16),
        "brain": torch.tensor([1, -0.5, 256], dtype=torch.bfloat16),
        "mask": torch.tensor([True, False, True]),
    },
    "python.safetensors",
    metadata={"source": "safetensors fixture", "format": "pt"},
)
