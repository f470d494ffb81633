"""Sends OpenLineage events to a lineage server with the real openlineage-python client.

Usage: emit_openlineage.py URL [API_KEY]

Emits, through the client's HTTP transport (gzip compression on), a START and a
COMPLETE RunEvent of job `etl.orders_daily` reading `warehouse.raw_orders` (with a
schema facet) and writing `warehouse.orders_daily`, and a DatasetEvent; exits non-zero
if the client reports a failure.
"""

import sys
import uuid
from datetime import datetime, timezone

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import Dataset, DatasetEvent, InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import schema_dataset
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpCompression, HttpConfig, HttpTransport

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"


def main() -> int:
    url = sys.argv[1]
    key = sys.argv[2] if len(sys.argv) > 2 else None
    config = HttpConfig(url=url, compression=HttpCompression.GZIP)
    if key:
        config.auth = ApiKeyTokenProvider({"apiKey": key})
    client = OpenLineageClient(transport=HttpTransport(config))
    run = Run(runId=str(uuid.uuid4()))
    job = Job(namespace="etl", name="orders_daily")
    schema = schema_dataset.SchemaDatasetFacet(
        fields=[
            schema_dataset.SchemaDatasetFacetFields(name="order_id", type="BIGINT"),
            schema_dataset.SchemaDatasetFacetFields(name="amount", type="DECIMAL(10,2)"),
        ]
    )
    inputs = [InputDataset(namespace="warehouse", name="raw_orders", facets={"schema": schema})]
    outputs = [OutputDataset(namespace="warehouse", name="orders_daily")]
    now = datetime.now(timezone.utc).isoformat()
    for state in (RunState.START, RunState.COMPLETE):
        client.emit(
            RunEvent(eventType=state, eventTime=now, run=run, job=job, producer=PRODUCER, inputs=inputs, outputs=outputs)
        )
    client.emit(DatasetEvent(eventTime=now, producer=PRODUCER, dataset=Dataset(namespace="warehouse", name="archive")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
