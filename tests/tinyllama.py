"""A tiny Llama built by the tests, as a GGUF file a real llama.cpp server loads.

The model is a ``transformers`` ``LlamaForCausalLM`` with random weights (one
layer, 64 wide), so what it says is gibberish; it exists to run the real
server process, its chat template and its sampling code. Its tokenizer is
SentencePiece-style: control tokens, the 256 byte tokens (so any text,
Khmer included, can be encoded and any byte generated) and the printable
ASCII characters. :func:`write_gguf` runs with the ``gguf`` package (it is
in the llama.cpp server's environment, not in the project's): it renames the
tensors as llama.cpp's ``convert_hf_to_gguf.py`` does for Llama and permutes
the query and key rows into llama.cpp's rotary layout.

Run as ``python tinyllama.py WEIGHTS.npz OUT.gguf`` in an environment with
``gguf`` and ``numpy``.
"""

from __future__ import annotations

import json
import string
import sys
from pathlib import Path
from typing import Any

HIDDEN, FFN, HEADS, KV_HEADS, LAYERS, CONTEXT = 64, 128, 4, 2, 1, 8192

#: A chat template in the GGUF's metadata, which llama.cpp's servers apply to the messages.
CHAT_TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}<|assistant|>\n"


def vocabulary() -> list[tuple[str, float, int]]:
    """``(piece, score, type)``: unknown, BOS, EOS (types 2, 3, 3), 256 bytes (6), then ``▁`` and printable ASCII (1)."""
    pieces: list[tuple[str, float, int]] = [("<unk>", 0.0, 2), ("<s>", 0.0, 3), ("</s>", 0.0, 3)]
    pieces += [(f"<0x{b:02X}>", 0.0, 6) for b in range(256)]
    chars = ["▁", *(c for c in string.printable if c not in string.whitespace)]
    pieces += [(c, -float(i), 1) for i, c in enumerate(chars)]
    return pieces


def build_weights(path: Path, seed: int = 0) -> Path:
    """Build the Llama with ``transformers`` and save its tensors (and config) as ``.npz``."""
    import numpy as np
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(vocabulary()),
        hidden_size=HIDDEN,
        intermediate_size=FFN,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        num_key_value_heads=KV_HEADS,
        max_position_embeddings=CONTEXT,
        rms_norm_eps=1e-5,
        tie_word_embeddings=False,
        bos_token_id=1,
        eos_token_id=2,
    )
    model = LlamaForCausalLM(config)
    tensors = {name: value.detach().to(torch.float32).numpy() for name, value in model.state_dict().items()}
    np.savez(path, **tensors, __config__=np.frombuffer(json.dumps(config.to_dict()).encode(), dtype=np.uint8))
    return path


def _permute(weights: Any, heads: int) -> Any:
    """llama.cpp's rotary layout (``LlamaModel.permute`` of ``convert_hf_to_gguf.py``)."""
    return weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def _gguf_name(name: str) -> str:
    table = {
        "model.embed_tokens.weight": "token_embd.weight",
        "model.norm.weight": "output_norm.weight",
        "lm_head.weight": "output.weight",
    }
    if name in table:
        return table[name]
    _, _, layer, *rest = name.split(".")
    part = ".".join(rest)
    renamed = {
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.o_proj.weight": "attn_output.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight",
        "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }[part]
    return f"blk.{layer}.{renamed}"


def write_gguf(weights: Path, out: Path) -> Path:
    """Write the ``.npz`` of :func:`build_weights` as a GGUF model (float32)."""
    import gguf
    import numpy as np

    data = np.load(weights)
    config = json.loads(bytes(data["__config__"]).decode())
    writer = gguf.GGUFWriter(str(out), "llama")
    writer.add_name("tiny-llama")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_head_count_kv(config["num_key_value_heads"])
    writer.add_rope_dimension_count(config["hidden_size"] // config["num_attention_heads"])
    writer.add_rope_freq_base(float(config.get("rope_theta") or (config.get("rope_parameters") or {}).get("rope_theta", 10000.0)))
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(config["vocab_size"])
    writer.add_file_type(0)  # all float32
    pieces = vocabulary()
    writer.add_tokenizer_model("llama")
    writer.add_token_list([p for p, _, _ in pieces])
    writer.add_token_scores([s for _, s, _ in pieces])
    writer.add_token_types([t for _, _, t in pieces])
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)
    for name in data.files:
        if name == "__config__" or name.endswith("rotary_emb.inv_freq"):
            continue
        tensor = data[name].astype(np.float32)
        if name.endswith("q_proj.weight"):
            tensor = _permute(tensor, config["num_attention_heads"])
        elif name.endswith("k_proj.weight"):
            tensor = _permute(tensor, config["num_key_value_heads"])
        writer.add_tensor(_gguf_name(name), tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


if __name__ == "__main__":
    write_gguf(Path(sys.argv[1]), Path(sys.argv[2]))
