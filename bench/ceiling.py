"""The ceiling: what this machine serves with the same server and no work at all — a fixed
~1 KB JSON body through a pydantic response model, no database, no authentication, no
middleware. Every workload is reported as a fraction of it, measured in the same run."""

from fastapi import FastAPI
from pydantic import BaseModel


class Item(BaseModel):
    id: str
    name: str
    kind: str
    district: str
    description: str
    tags: list[str]
    version: int


ITEM = Item(
    id="5e8137e4-7a81-5057-a28d-fc8d7c1ff380",
    name="Highlanders Association",
    kind="cso",
    district="Lumphat",
    description="A fixed body of about one kilobyte. " * 22,
    tags=["agriculture", "indigenous", "women", "youth"],
    version=3,
)

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/ceiling", response_model=Item)
async def ceiling() -> Item:
    return ITEM
