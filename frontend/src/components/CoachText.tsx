import type { ReactNode } from 'react';

/** Renders the coach's plain-text answers: paragraphs, "-"/"*"/"1." lists and **bold**. */
function inline(text: string): ReactNode[] {
  return text
    .split(/(\*\*[^*]+\*\*)/g)
    .map((part, index) =>
      part.startsWith('**') && part.endsWith('**') && part.length > 4 ? (
        <strong key={index}>{part.slice(2, -2)}</strong>
      ) : (
        part
      ),
    );
}

export function CoachText({ text }: { text: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <div className="coach-text">
      {blocks.map((block, index) => {
        const lines = block
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        const bullets = lines.every((line) => /^([-*•]|\d+[.)])\s+/.test(line));
        if (bullets && lines.length > 0) {
          const ordered = /^\d/.test(lines[0] ?? '');
          const items = lines.map((line, i) => (
            <li key={i}>{inline(line.replace(/^([-*•]|\d+[.)])\s+/, ''))}</li>
          ));
          return ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
        }
        return (
          <p key={index}>
            {lines.map((line, i) => (
              <span key={i}>
                {i > 0 ? <br /> : null}
                {inline(line.replace(/^#+\s*/, ''))}
              </span>
            ))}
          </p>
        );
      })}
    </div>
  );
}
