// A small trend line in inline SVG (no chart library on the overview); gaps where a value is null, and the
// target as a dashed line when it falls inside the drawn range.
interface SparklineProps {
  values: readonly (number | null)[];
  target?: number | null;
  /** The text alternative (what the line shows). */
  label: string;
}

const W = 100;
const H = 30;
const PAD = 2;

export function Sparkline({ values, target, label }: SparklineProps) {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) {
    return <span className="visually-hidden">{label}</span>;
  }
  let min = Math.min(...present);
  let max = Math.max(...present);
  if (target !== undefined && target !== null && target >= min - (max - min) && target <= max + (max - min)) {
    min = Math.min(min, target);
    max = Math.max(max, target);
  }
  const span = max - min || 1;
  const x = (i: number) => (values.length === 1 ? W / 2 : (i / (values.length - 1)) * W);
  const y = (v: number) => H - PAD - ((v - min) / span) * (H - 2 * PAD);
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else {
      current.push(`${x(i).toFixed(2)},${y(v).toFixed(2)}`);
    }
  });
  if (current.length) segments.push(current.join(' '));
  const showTarget = target !== undefined && target !== null && target >= min && target <= max;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {showTarget ? (
        <line
          x1={0}
          x2={W}
          y1={y(target)}
          y2={y(target)}
          stroke="#4f5663"
          strokeDasharray="3 3"
          strokeWidth={1}
          vectorEffect="non-scaling-stroke"
        />
      ) : null}
      {segments.map((points) => (
        <polyline
          key={points}
          points={points}
          fill="none"
          stroke="#1f5fbf"
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
          strokeLinejoin="round"
        />
      ))}
    </svg>
  );
}
