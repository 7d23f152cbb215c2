export function ErrorAlert({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p className="alert alert-error" role="alert" id={id}>
      {message}
    </p>
  );
}
