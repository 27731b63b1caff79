/**
 * Task-type strings that flytekit or Flyte's backend plugins already route elsewhere.
 * A new pre-built container task must not reuse one (see flytekit's plugins and flyteplugins).
 */
export const TAKEN_TASK_TYPES: ReadonlySet<string> = new Set([
  "container", "pod", "python", "python-task", "raw-container", "sidecar", "container_array", "k8s-array",
  "sql_task", "sqlite", "sqlalchemy", "sensor", "echo", "webhook", "eager_failure_handler_task", "airflow",
  "presto", "athena", "hive", "aws-batch", "boto", "sagemaker-endpoint", "sagemaker_training_job_task",
  "sagemaker_custom_training_job_task", "sagemaker_hyperparameter_tuning_job_task", "bigquery",
  "bigquery_query_job_task", "dask", "dbt-run", "dbt-test", "dbt-freshness", "lepton_endpoint_deployment_task",
  "lepton_endpoint_deletion_task", "duckdb", "great_expectations", "dataservicetask", "mpi", "pytorch",
  "tensorflow", "mmcloud_task", "openai-batch", "openai-batch-upload-file", "openai-batch-download-files",
  "chatgpt", "perian_task", "ray", "slurm", "slurm_fn", "snowflake", "spark", "databricks",
  "connector-service", "agent-service",
]);
