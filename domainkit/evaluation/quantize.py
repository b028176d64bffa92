"""Dynamic int8 quantisation of a classifier's Linear layers, saved and reloadable.

Dynamic quantisation stores Linear weights as int8 and quantises activations
on the fly: no calibration data needed, and on CPU the encoder's matrix
multiplies (almost all of its time) run about 2x faster. Embeddings and
LayerNorm stay fp32, which keeps accuracy loss small.

An int8 folder holds ``config.json``, the tokenizer, the int8 weights
(``domainkit_int8.safetensors``) and ``domainkit_inference.json`` with
``quantized = "dynamic_int8"``. Reloading builds the int8 architecture from
the config without fp32 weights (see :func:`int8_skeleton`) and restores the
saved tensors into it (the packed int8 tensors cannot be loaded into an fp32
model directly).

The weights file is safetensors, never pickle, since an int8 folder travels in
wheels (``domainkit package``) and is loaded by ``domainkit predict``: it holds
every plain tensor of the quantised state dict under its own key, and for each
dynamically quantised Linear ``<name>`` the keys ``qlinear:<name>.weight_int8``
(the int8 integer values), ``qlinear:<name>.weight_scales``,
``qlinear:<name>.weight_zero_points``, ``qlinear:<name>.weight_axis``
(per-channel only) and ``qlinear:<name>.bias`` (when the layer has one). The
file's metadata records the format and the weight qscheme. Folders written
before this format (``domainkit_int8.pt``, a pickle) are refused, never
unpickled.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import torch

from domainkit.errors import ModelError
from domainkit.heads._atomic import atomic_write_bytes
from domainkit.heads.settings import read_settings, write_settings

INT8_WEIGHTS = "domainkit_int8.safetensors"
#: The pickle file older versions wrote; refused on load (unpickling it could run code).
LEGACY_INT8_WEIGHTS = "domainkit_int8.pt"
#: Files copied from the fp32 folder: config and tokenizer, never the fp32 weights.
_COPIED_SUFFIXES = (".json", ".txt", ".model")
_SKIPPED = {"model.safetensors.index.json", "pytorch_model.bin.index.json"}

#: safetensors metadata of an int8 weights file.
_FORMAT = "domainkit-dynamic-int8"
_FORMAT_VERSION = "1"
_PER_CHANNEL = "per_channel_affine"
_PER_TENSOR = "per_tensor_affine"
_QSCHEMES = {torch.per_channel_affine: _PER_CHANNEL, torch.per_tensor_affine: _PER_TENSOR}
#: Key prefix of a quantised Linear's tensors (state-dict keys never contain ":").
_QPREFIX = "qlinear:"


def quantize_dynamic_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Quantise every ``nn.Linear`` of an fp32 model (eval mode) to int8 weights."""
    with warnings.catch_warnings():
        # torch marks torch.ao quantisation deprecated in favour of torchao,
        # which is not installed here; the API still works on torch 2.13.
        warnings.simplefilter("ignore")
        # Per-channel weight scales (one per output row) instead of one per
        # matrix: the same int8 speed, less rounding error. On hpo-organ-system
        # per-tensor scales cost 1.07 macro-F1 points.
        spec = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
        return torch.ao.quantization.quantize_dynamic(model.eval(), spec, dtype=torch.qint8)


def int8_skeleton(config) -> torch.nn.Module:
    """The architecture :func:`quantize_dynamic_int8` gives, built without materialising fp32 weights.

    Building the fp32 model and quantising it, as this loader once did, held a random-init fp32 copy
    of every weight while loading: the int8 student's peak memory then exceeded the fp32 student's.
    Here parameters start on the meta device (no memory; buffers such as ``position_ids`` are real,
    since they are not in the weights file), every exact ``nn.Linear`` (the type quantize_dynamic's
    mapping swaps) becomes an int8 dynamic Linear, and the parameters left get empty storage for the
    saved tensors. :func:`_check_key_sets` still compares the result with the file, key by key.
    """
    from accelerate import init_empty_weights
    from transformers import AutoModelForSequenceClassification

    with init_empty_weights(include_buffers=False):
        model = AutoModelForSequenceClassification.from_config(config)
    dynamic_linear = torch.ao.nn.quantized.dynamic.Linear
    for name, module in list(model.named_modules()):
        if type(module) is torch.nn.Linear:
            parent, _, child = name.rpartition(".")
            setattr(model.get_submodule(parent), child, dynamic_linear(
                module.in_features, module.out_features, bias_=module.bias is not None, dtype=torch.qint8))
    storage: dict[int, torch.nn.Parameter] = {}  # by the meta parameter's id, so tied weights stay tied
    for module in model.modules():
        for name, param in list(module._parameters.items()):
            if param is not None and param.is_meta:
                if id(param) not in storage:
                    storage[id(param)] = torch.nn.Parameter(torch.empty_like(param, device="cpu"),
                                                            requires_grad=param.requires_grad)
                module._parameters[name] = storage[id(param)]
    return model.eval()


def _quantized_linears(model: torch.nn.Module) -> dict[str, torch.nn.Module]:
    """The dynamically quantised Linear layers of ``model`` by module name."""
    dynamic_linear = torch.ao.nn.quantized.dynamic.Linear
    return {name: module for name, module in model.named_modules() if isinstance(module, dynamic_linear)}


def _is_packed_key(key: str, linears: dict[str, torch.nn.Module]) -> bool:
    """Whether a state-dict key belongs to a quantised Linear's packed params (not a plain tensor)."""
    return any(key.startswith(f"{name}._packed_params." if name else "_packed_params.") for name in linears)


def _plain_keys(state: dict, linears: dict[str, torch.nn.Module]) -> list[str]:
    """State-dict keys saved as is: every tensor outside the quantised Linears' packed params."""
    return [
        key for key, value in state.items()
        if isinstance(value, torch.Tensor) and not value.is_quantized and not _is_packed_key(key, linears)
    ]


def _qkeys(name: str, qscheme: str, has_bias: bool) -> dict[str, str]:
    """File keys of the quantised Linear ``name`` (role -> key)."""
    keys = {role: f"{_QPREFIX}{name}.{role}" for role in ("weight_int8", "weight_scales", "weight_zero_points")}
    if qscheme == _PER_CHANNEL:
        keys["weight_axis"] = f"{_QPREFIX}{name}.weight_axis"
    if has_bias:
        keys["bias"] = f"{_QPREFIX}{name}.bias"
    return keys


def int8_tensors(quantized: torch.nn.Module) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """The tensors and safetensors metadata that store ``quantized`` (see the module docstring)."""
    state = quantized.state_dict()
    linears = _quantized_linears(quantized)
    # clone: tied weights share storage, which safetensors refuses to save
    tensors = {key: state[key].detach().clone().contiguous() for key in _plain_keys(state, linears)}
    qschemes = set()
    for name, module in linears.items():
        weight, bias = module.weight(), module.bias()
        if weight.dtype != torch.qint8 or weight.qscheme() not in _QSCHEMES:
            raise ValueError(f"{name}: unsupported int8 weight ({weight.dtype}, {weight.qscheme()})")
        qscheme = _QSCHEMES[weight.qscheme()]
        qschemes.add(qscheme)
        keys = _qkeys(name, qscheme, bias is not None)
        tensors[keys["weight_int8"]] = weight.int_repr().contiguous()
        if qscheme == _PER_CHANNEL:
            tensors[keys["weight_scales"]] = weight.q_per_channel_scales().to(torch.float64).contiguous()
            tensors[keys["weight_zero_points"]] = weight.q_per_channel_zero_points().to(torch.int64).contiguous()
            tensors[keys["weight_axis"]] = torch.tensor([weight.q_per_channel_axis()], dtype=torch.int64)
        else:
            tensors[keys["weight_scales"]] = torch.tensor([weight.q_scale()], dtype=torch.float64)
            tensors[keys["weight_zero_points"]] = torch.tensor([weight.q_zero_point()], dtype=torch.int64)
        if bias is not None:
            tensors[keys["bias"]] = bias.detach().contiguous()
    if len(qschemes) > 1:
        raise ValueError(f"mixed int8 weight qschemes {sorted(qschemes)}; one scheme per model is supported")
    metadata = {"format": _FORMAT, "format_version": _FORMAT_VERSION,
                "weight_dtype": "qint8", "weight_qscheme": qschemes.pop() if qschemes else _PER_CHANNEL}
    return tensors, metadata


def save_int8(model_dir: Path, out_dir: Path) -> Path:
    """Quantise the fp32 classifier in ``model_dir`` and write an int8 folder to ``out_dir``."""
    from safetensors.torch import save
    from transformers import AutoModelForSequenceClassification

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
    quantized = quantize_dynamic_int8(model)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in model_dir.iterdir():
        if path.is_file() and path.suffix in _COPIED_SUFFIXES and path.name not in _SKIPPED:
            shutil.copy2(path, out_dir / path.name)
    tensors, metadata = int8_tensors(quantized)
    atomic_write_bytes(out_dir / INT8_WEIGHTS, save(tensors, metadata=metadata))
    # A stale pickle from an older version must not travel on beside the new file.
    (out_dir / LEGACY_INT8_WEIGHTS).unlink(missing_ok=True)
    write_settings(out_dir, read_settings(model_dir).with_changes(quantized="dynamic_int8"))
    return out_dir


_REEXPORT_HINT = ("re-export the model: run `domainkit run` again, or re-quantise the fp32 folder with "
                  "domainkit.evaluation.quantize.save_int8(fp32_folder, int8_folder)")


def _read_int8_file(model_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """The tensors and metadata of ``model_dir``'s int8 weights; ModelError naming the folder otherwise."""
    from safetensors import safe_open

    path = model_dir / INT8_WEIGHTS
    if not path.is_file():
        if (model_dir / LEGACY_INT8_WEIGHTS).exists():
            raise ModelError(
                f"{model_dir} holds int8 weights in the old pickle format ({LEGACY_INT8_WEIGHTS}); loading it "
                f"would need unsafe unpickling, which can run arbitrary code, so it is refused",
                hint=_REEXPORT_HINT,
            )
        raise ModelError(f"{model_dir} is an int8 folder without {INT8_WEIGHTS}", hint=_REEXPORT_HINT)
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            metadata = handle.metadata() or {}
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    except Exception as error:  # safetensors raises its own error type for a damaged file
        raise ModelError(f"{path} is not a readable safetensors file ({type(error).__name__})",
                         hint=_REEXPORT_HINT) from error
    if metadata.get("format") != _FORMAT or metadata.get("format_version") != _FORMAT_VERSION:
        raise ModelError(f"{path} is not a domainkit int8 weights file (format {metadata.get('format')!r}, "
                         f"version {metadata.get('format_version')!r})", hint=_REEXPORT_HINT)
    if metadata.get("weight_qscheme") not in (_PER_CHANNEL, _PER_TENSOR):
        raise ModelError(f"{path}: unknown int8 weight qscheme {metadata.get('weight_qscheme')!r}; "
                         f"available: {_PER_CHANNEL}, {_PER_TENSOR}", hint=_REEXPORT_HINT)
    return tensors, metadata


def _key_list(keys: set[str]) -> str:
    shown = sorted(keys)[:5]
    return ", ".join(shown) + (f" and {len(keys) - len(shown)} more" if len(keys) > len(shown) else "")


def load_int8_model(model_dir: Path, config) -> torch.nn.Module:
    """Rebuild the int8 classifier saved by :func:`save_int8`.

    Raises ModelError naming the folder for an old pickle folder (never
    unpickled), a damaged file, or tensors that do not fit the architecture.
    """
    model_dir = Path(model_dir)
    tensors, metadata = _read_int8_file(model_dir)
    quantized = int8_skeleton(config)
    state = quantized.state_dict()
    linears = _quantized_linears(quantized)
    plain = _plain_keys(state, linears)
    qkeys = {name: _qkeys(name, metadata["weight_qscheme"], module.bias() is not None)
             for name, module in linears.items()}
    _check_key_sets(model_dir, tensors, plain, qkeys)
    with torch.no_grad():
        _restore_plain_tensors(model_dir, quantized, state, linears, {key: tensors[key] for key in plain})
        for name, module in linears.items():
            _restore_linear(model_dir, module, tensors, qkeys[name], metadata["weight_qscheme"])
    return quantized.eval()


def _check_key_sets(model_dir: Path, tensors: dict, plain: list[str], qkeys: dict[str, dict[str, str]]) -> None:
    """ModelError unless the file holds exactly the tensors the architecture in config.json needs."""
    expected = set(plain) | {key for keys in qkeys.values() for key in keys.values()}
    missing, unexpected = expected - set(tensors), set(tensors) - expected
    if missing or unexpected:
        parts = ([f"missing {_key_list(missing)}"] if missing else []) + (
            [f"unexpected {_key_list(unexpected)}"] if unexpected else [])
        raise ModelError(f"{model_dir}: int8 weights do not match the architecture in config.json: "
                         + "; ".join(parts), hint=_REEXPORT_HINT)


def _check_tensor(model_dir: Path, key: str, value: torch.Tensor, shape, dtype) -> None:
    """ModelError unless the stored tensor ``key`` has the shape and dtype the model expects."""
    if tuple(value.shape) != tuple(shape) or value.dtype != dtype:
        raise ModelError(f"{model_dir}: int8 tensor {key} is {value.dtype} {tuple(value.shape)}, "
                         f"expected {dtype} {tuple(shape)}", hint=_REEXPORT_HINT)


def _restore_plain_tensors(model_dir: Path, quantized: torch.nn.Module, state: dict,
                           linears: dict[str, torch.nn.Module], plain: dict[str, torch.Tensor]) -> None:
    """Copy the stored fp32 tensors (embeddings, LayerNorms, output scales) into the rebuilt model."""
    targets = {**dict(quantized.named_parameters(remove_duplicate=False)),
               **dict(quantized.named_buffers(remove_duplicate=False))}
    for key, value in plain.items():
        _check_tensor(model_dir, key, value, state[key].shape, state[key].dtype)
        owner_name, _, attr = key.rpartition(".")
        owner = linears.get(owner_name)
        if owner is not None and attr in ("scale", "zero_point"):
            # output scale and zero point: python numbers on the module, tensors in its state dict
            setattr(owner, attr, float(value) if attr == "scale" else int(value))
        elif key in targets:
            targets[key].copy_(value)
        else:
            raise ModelError(f"{model_dir}: int8 tensor {key} has no place in the model", hint=_REEXPORT_HINT)


def _restore_linear(model_dir: Path, module: torch.nn.Module, tensors: dict[str, torch.Tensor],
                    keys: dict[str, str], qscheme: str) -> None:
    """Rebuild one quantised Linear's int8 weight (checked against the module's own) and its bias."""
    weight = module.weight()
    int_repr = tensors[keys["weight_int8"]]
    _check_tensor(model_dir, keys["weight_int8"], int_repr, weight.shape, torch.int8)
    if qscheme == _PER_CHANNEL:
        qweight = _per_channel_weight(model_dir, tensors, keys, int_repr)
    else:
        scales, zero_points = tensors[keys["weight_scales"]], tensors[keys["weight_zero_points"]]
        _check_tensor(model_dir, keys["weight_scales"], scales, (1,), torch.float64)
        _check_tensor(model_dir, keys["weight_zero_points"], zero_points, (1,), torch.int64)
        qweight = torch._make_per_tensor_quantized_tensor(int_repr, float(scales[0]), int(zero_points[0]))
    bias = None
    if "bias" in keys:
        bias, reference = tensors[keys["bias"]], module.bias()
        _check_tensor(model_dir, keys["bias"], bias, reference.shape, reference.dtype)
    # clone: the packed params keep the bias tensor itself, and a tensor read from the file views its
    # memory map, so one kept bias would keep the whole weights file (56 MiB for MiniLM) resident.
    module.set_weight_bias(qweight, None if bias is None else bias.clone())


def _per_channel_weight(model_dir: Path, tensors: dict[str, torch.Tensor], keys: dict[str, str],
                        int_repr: torch.Tensor) -> torch.Tensor:
    """The per-channel quantised weight from its int8 values, scales, zero points and axis (all checked)."""
    axis_tensor = tensors[keys["weight_axis"]]
    _check_tensor(model_dir, keys["weight_axis"], axis_tensor, (1,), torch.int64)
    axis = int(axis_tensor[0])
    if not 0 <= axis < int_repr.dim():
        raise ModelError(f"{model_dir}: int8 tensor {keys['weight_axis']} is out of range", hint=_REEXPORT_HINT)
    channels = int_repr.shape[axis]
    scales, zero_points = tensors[keys["weight_scales"]], tensors[keys["weight_zero_points"]]
    _check_tensor(model_dir, keys["weight_scales"], scales, (channels,), torch.float64)
    _check_tensor(model_dir, keys["weight_zero_points"], zero_points, (channels,), torch.int64)
    return torch._make_per_channel_quantized_tensor(int_repr, scales, zero_points, axis)
