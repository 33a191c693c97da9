"""Translation with an open large language model behind an OpenAI-compatible HTTP API.

A local vLLM, llama.cpp server or Ollama answers ``POST /v1/chat/completions``;
the ``openai-compatible`` backend (:mod:`translate.mt.backends.openai_compatible`)
sends it numbered batches of masked sentences with their neighbours as context
and reads the reply strictly.

* :mod:`translate.mt.llm.settings`: the ``[llm]`` table, prompt templates and the signature;
* :mod:`translate.mt.llm.prompt`: the messages of one request and the reading of the reply;
* :mod:`translate.mt.llm.client`: the HTTP client (retries, back-off, rate limits, time-outs).

See ``docs/mt.md``.
"""
