export function UserMessage({ text }: { text: string }) {
  return (
    <article class="turn user" data-testid="user-message">
      <div class="bubble">{text}</div>
    </article>
  );
}
