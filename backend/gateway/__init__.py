"""Upstream wire clients of the OpenAI-compatible gateway.

One module per wire format (``openai_wire``, ``anthropic_wire``), one registry mapping provider
kinds to them (``wire``), one outbound HTTP session (``http``) and the server-sent-events reader
both formats share (``sse``). No Flask and no database here: ``backend.services.gateway`` decides
which backend to call and records what happened.
"""
