"""Pydantic models to pyarrow schemas: the one place this mapping lives.

Derived, not hand-written, so a column added to a model reaches the Parquet
files, the validator and the data dictionary at once.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel

_SCALARS = {str: pa.string(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(annotation: Any, metadata: list[Any]) -> tuple[pa.DataType, bool]:
    """Return (type, nullable); `metadata` carries Annotated extras such as "int32"."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        return _arrow_type(inner, [*metadata, *extra])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        return _arrow_type(args[0], metadata)[0], True
    if origin is list:
        (item,) = get_args(annotation)
        return pa.list_(pa.field("item", *_arrow_type(item, []))), False
    if origin is Literal:
        if not all(isinstance(v, str) for v in get_args(annotation)):
            raise TypeError(f"only str literals are supported: {annotation!r}")
        return pa.string(), False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(list(arrow_schema(annotation))), False
    if annotation is int:
        return (pa.int32() if "int32" in metadata else pa.int64()), False
    if annotation is float and "float32" in metadata:
        return pa.float32(), False
    if annotation in _SCALARS:
        return _SCALARS[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


def arrow_field(name: str, model: type[BaseModel]) -> pa.Field:
    info = model.model_fields[name]
    typ, nullable = _arrow_type(info.annotation, list(info.metadata))
    return pa.field(name, typ, nullable=nullable)


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    return pa.schema([arrow_field(name, model) for name in model.model_fields])
